package io.spill.bench;

import io.spill.VolumeSpiller;
import io.spill.engine.arrow.ArrowEngine;
import io.spill.engine.arrow.ArrowFrame;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.engine.duckdb.DuckDbFrameEngine;
import io.spill.examples.LocalSpark;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.duckdb.DuckDBConnection;

/**
 * The peak resident set size of one Spark -> DuckDB case in a JVM of its own: cases that share a
 * JVM share its heap, which grows for the hungriest and is never given back, so an in-process peak
 * says more about the run's history than about the case. The child starts Spark, reads the source
 * rows the parent wrote, resets the peak ({@code /proc/self/clear_refs}), runs the case once and
 * prints {@code RSS <bytes>}: Spark's own footprint at rest is in every figure, what the case adds
 * on top is what differs.
 */
final class FreshRss {
  private FreshRss() {}

  /**
   * The child: {@code <rows> <source Parquet folder> <work folder> <case name> <workload>}.
   *
   * @param args the arguments
   * @throws Exception if the case fails
   */
  public static void main(String[] args) throws Exception {
    long rows = Long.parseLong(args[0]);
    SparkSession spark =
        LocalSpark.builder("spill-bench-rss")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.driver.maxResultSize", "0")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Path work = Path.of(args[2]);
    Dataset<Row> source = spark.read().parquet(args[1]);
    try (VolumeSpiller<DuckDbFrame> spill =
            VolumeSpiller.builder(spark)
                .engine(DuckDbEngine.create())
                .store(work.resolve("store").toUri().toString())
                .localDir(work.resolve("local"))
                .build();
        VolumeSpiller<ArrowFrame> arrowSpill =
            VolumeSpiller.builder(spark)
                .engine(ArrowEngine.create())
                .store(work.resolve("arrow-store").toUri().toString())
                .localDir(work.resolve("arrow-local"))
                .build();
        DuckDbFrameEngine collectEngine = DuckDbEngine.create()) {
      DuckDBConnection duck = collectEngine.connection().unwrap(DuckDBConnection.class);
      BenchCase c =
          Cases.sparkToDuckDb(Workload.valueOf(args[4]), spill, arrowSpill, source, duck, work)
              .stream()
              .filter(x -> x.name().equals(args[3]))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no case " + args[3]));
      System.gc();
      MemoryProbe.reset();
      long moved = c.run();
      if (moved != rows) {
        throw new IllegalStateException(c.name() + " moved " + moved + " rows, not " + rows);
      }
      System.out.println("RSS " + MemoryProbe.rssPeak());
    } finally {
      spark.stop();
    }
  }

  /**
   * Runs the case in a child JVM with this JVM's flags and maximum heap.
   *
   * @return the child's peak RSS in bytes, or -1 if it did not report one
   */
  static long measure(
      Workload workload, long rows, Path source, Path work, String caseName, PrintStream log)
      throws Exception {
    Files.createDirectories(work);
    String xmx = (Runtime.getRuntime().maxMemory() >> 20) + "m";
    List<String> cmd =
        javaCommand(
            xmx,
            FreshRss.class,
            Long.toString(rows),
            source.toUri().toString(),
            work.toString(),
            caseName,
            workload.name());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    String line = output.lines().filter(l -> l.startsWith("RSS ")).findFirst().orElse(null);
    if (line == null) {
      log.println("  fresh JVM for " + caseName + " reported no RSS; its output:\n" + output);
      return -1;
    }
    long rss = Long.parseLong(line.substring(4).trim());
    log.printf("  fresh JVM %-45s rss %,6d MiB%n", caseName, rss >> 20);
    return rss;
  }

  /** A {@code java} command line for {@code main} with this JVM's flags and class path. */
  static List<String> javaCommand(String xmx, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-")
                    || a.startsWith("-XX:")
                    || a.startsWith("-Djdk.")
                    || a.startsWith("-Dio.netty")
                    || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc")
                    || a.startsWith("-Dlog4j2"))
        .forEach(cmd::add);
    cmd.add("-Xmx" + xmx);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
