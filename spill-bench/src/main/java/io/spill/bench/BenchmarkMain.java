package io.spill.bench;

import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.engine.duckdb.DuckDbFrameEngine;
import io.spill.examples.LocalSpark;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.duckdb.DuckDBConnection;

/**
 * Runs the spill paths against Spark's collect paths at several sizes in one JVM and writes {@code
 * BENCHMARKS.md} and {@code benchmarks.png}. Options: {@code --sizes 100000,1000000}, {@code --runs
 * 3}, {@code --out docs}, {@code --scale-ratio 4} (0 skips the scale case), {@code --scale-xmx
 * 512m}, {@code --local-rows-limit 2000000} (the largest size at which the path that holds every
 * row in the driver's heap, JDBC to {@code createDataFrame(List<Row>)}, is run), {@code --s3-sizes
 * 1000000,10000000} (the sizes of the S3 cases; 0 skips them), {@code --arrow-sizes
 * 1000000,10000000} (the sizes of the Arrow cases; 0 skips them). {@code --sizes 0} skips the Spark
 * and DuckDB cases.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /** The parsed command line. */
  record Options(
      List<Long> sizes,
      int runs,
      Path out,
      double scaleRatio,
      String scaleXmx,
      long localRowsLimit,
      List<Long> s3Sizes,
      List<Long> arrowSizes) {
    static Options parse(String[] args) {
      List<Long> sizes = List.of(100_000L, 1_000_000L, 10_000_000L);
      int runs = 3;
      Path out = Path.of("docs");
      double ratio = 4.0;
      String xmx = "512m";
      long localRowsLimit = 2_000_000;
      List<Long> s3Sizes = List.of(1_000_000L, 10_000_000L);
      List<Long> arrowSizes = List.of(1_000_000L, 10_000_000L);
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--sizes" -> sizes = S3Bench.parseSizes(v);
          case "--runs" -> runs = Integer.parseInt(v);
          case "--out" -> out = Path.of(v);
          case "--scale-ratio" -> ratio = Double.parseDouble(v);
          case "--scale-xmx" -> xmx = v;
          case "--local-rows-limit" -> localRowsLimit = Long.parseLong(v);
          case "--s3-sizes" -> s3Sizes = S3Bench.parseSizes(v);
          case "--arrow-sizes" -> arrowSizes = S3Bench.parseSizes(v);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; use --sizes, --runs, --out, --scale-ratio, --scale-xmx, --local-rows-limit,"
                      + " --s3-sizes, --arrow-sizes");
        }
      }
      if (runs < 1) {
        throw new IllegalArgumentException("need at least one run, got --runs " + runs);
      }
      if (sizes.isEmpty() && s3Sizes.isEmpty() && arrowSizes.isEmpty()) {
        throw new IllegalArgumentException(
            "nothing to run: --sizes, --s3-sizes and" + " --arrow-sizes are all 0");
      }
      return new Options(sizes, runs, out, ratio, xmx, localRowsLimit, s3Sizes, arrowSizes);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    SparkSession spark =
        LocalSpark.builder("spill-bench")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.driver.maxResultSize", "0")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Path work = Files.createTempDirectory("spill-bench-");
    try {
      run(spark, options, work, System.out);
    } finally {
      spark.stop();
      Cases.deleteTree(work);
    }
  }

  /** Measures every case at every size, then writes the report into {@code options.out()}. */
  static List<Measurement> run(
      SparkSession spark, Options options, Path work, java.io.PrintStream log) throws Exception {
    List<Measurement> results = new ArrayList<>();
    String duckDbVersion;
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version()")) {
      r.next();
      duckDbVersion = r.getString(1);
    }
    for (long size : options.sizes()) {
      log.printf(Locale.ROOT, "== %,d rows%n", size);
      Path sizeDir = work.resolve("size-" + size);
      Dataset<Row> source = BenchData.source(spark, size, sizeDir.resolve("source"));
      try (VolumeSpiller<DuckDbFrame> spill =
              VolumeSpiller.builder(spark)
                  .engine(DuckDbEngine.create())
                  .store(sizeDir.resolve("store").toUri().toString())
                  .localDir(sizeDir.resolve("local"))
                  .build();
          DuckDbFrameEngine collectEngine = DuckDbEngine.create()) {
        DuckDBConnection duck = collectEngine.connection().unwrap(DuckDBConnection.class);
        for (BenchCase c : Cases.sparkToDuckDb(spill, source, duck, sizeDir)) {
          results.add(measure(c, size, options.runs(), log));
        }
        try (DuckDbFrame loaded = spill.sparkToEngine(source);
            DuckDbFrame hugeInt =
                loaded.sql("SELECT * REPLACE (CAST(id AS HUGEINT) AS id) FROM this")) {
          for (BenchCase c :
              Cases.duckDbToSpark(spill, loaded, hugeInt, source, options.localRowsLimit())) {
            results.add(measure(c, size, options.runs(), log));
          }
        }
      }
      Cases.deleteTree(sizeDir);
    }
    if (!options.s3Sizes().isEmpty()) {
      try (S3Bench s3 = new S3Bench()) {
        for (long size : options.s3Sizes()) {
          log.printf(Locale.ROOT, "== S3, %,d rows%n", size);
          Path sizeDir = work.resolve("s3-" + size);
          Dataset<Row> source = BenchData.source(spark, size, sizeDir.resolve("source"));
          try (VolumeSpiller<DuckDbFrame> spill = s3.spiller(spark, sizeDir.resolve("local"))) {
            spill.saveCheckpointSpark(source, "bench");
            for (BenchCase c : S3Bench.cases(spill, "bench", size, sizeDir)) {
              results.add(measure(c, size, options.runs(), log));
            }
            spill.deleteCheckpoint("bench");
          }
          Cases.deleteTree(sizeDir);
        }
      }
    }
    if (!options.arrowSizes().isEmpty()) {
      try (DuckDbFrameEngine duckEngine = DuckDbEngine.create()) {
        DuckDBConnection duck = duckEngine.connection().unwrap(DuckDBConnection.class);
        for (long size : options.arrowSizes()) {
          Path sizeDir = work.resolve("arrow-" + size);
          Dataset<Row> source = BenchData.source(spark, size, sizeDir.resolve("source"));
          try (ArrowBench arrow = new ArrowBench(spark, source, sizeDir)) {
            log.printf(Locale.ROOT, "== Arrow, %,d rows in %d files%n", size, arrow.files().size());
            for (BenchCase c : arrow.cases(duck)) {
              results.add(measure(c, size, options.runs(), log));
            }
          }
          Cases.deleteTree(sizeDir);
        }
      }
    }
    String scale =
        options.scaleRatio() > 0
            ? scaleCase(work.resolve("scale"), options.scaleRatio(), options.scaleXmx(), log)
            : "Not run (--scale-ratio 0).";
    BenchReport.write(
        options.out(), BenchReport.environment(spark.version(), duckDbVersion), results, scale);
    log.println(
        "wrote "
            + options.out().resolve("BENCHMARKS.md")
            + " and "
            + options.out().resolve("benchmarks.png"));
    return results;
  }

  private static Measurement measure(BenchCase c, long size, int runs, java.io.PrintStream log) {
    if (size > c.maxRows()) {
      log.printf(
          Locale.ROOT,
          "  %-16s %-45s not run above %,d rows%n",
          c.direction(),
          c.name(),
          c.maxRows());
      return new Measurement(
          c.direction(),
          c.name(),
          size,
          Double.NaN,
          0,
          -1,
          -1,
          String.format(Locale.ROOT, "not run above %,d rows", c.maxRows()));
    }
    try {
      long moved = c.run(); // warm-up
      if (moved != size) {
        throw new IllegalStateException(c.name() + " moved " + moved + " rows, not " + size);
      }
      double[] seconds = new double[runs];
      long heap = 0;
      long rss = -1;
      for (int i = 0; i < runs; i++) {
        System.gc();
        MemoryProbe.reset();
        long start = System.nanoTime();
        c.run();
        seconds[i] = (System.nanoTime() - start) / 1e9;
        heap = Math.max(heap, MemoryProbe.heapPeak());
        rss = Math.max(rss, MemoryProbe.rssPeak());
      }
      Arrays.sort(seconds);
      double median =
          runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
      log.printf(
          Locale.ROOT,
          "  %-16s %-45s %9.3f s  heap %,6d MiB  rss %,6d MiB%n",
          c.direction(),
          c.name(),
          median,
          heap >> 20,
          rss >> 20);
      return new Measurement(c.direction(), c.name(), size, median, runs, heap, rss, null);
    } catch (OutOfMemoryError e) {
      System.gc();
      log.printf("  %-16s %-45s OutOfMemoryError%n", c.direction(), c.name());
      return new Measurement(
          c.direction(), c.name(), size, Double.NaN, runs, -1, -1, "failed: OutOfMemoryError");
    } catch (Exception e) {
      log.printf("  %-16s %-45s failed: %s%n", c.direction(), c.name(), e);
      return new Measurement(
          c.direction(),
          c.name(),
          size,
          Double.NaN,
          runs,
          -1,
          -1,
          "failed: " + e.getClass().getSimpleName());
    }
  }

  /** Runs {@link ScaleCheck} in a child JVM with a small heap; returns the report's paragraph. */
  static String scaleCase(Path work, double ratio, String xmx, java.io.PrintStream log)
      throws Exception {
    Files.createDirectories(work);
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
    cmd.add(ScaleCheck.class.getName());
    cmd.add(work.toString());
    cmd.add(Double.toString(ratio));
    log.println("== scale case: -Xmx" + xmx + ", spill >= " + ratio + "x the heap");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return "The scale case did not finish in 30 minutes.";
    }
    String line = output.lines().filter(l -> l.startsWith("SCALE ")).findFirst().orElse(null);
    log.println("  " + (line != null ? line : "no result; child output:\n" + output));
    if (line == null) {
      return "The scale case failed (exit " + p.exitValue() + ") without a result line.";
    }
    java.util.Map<String, String> kv = new java.util.LinkedHashMap<>();
    for (String part : line.substring(6).split(" ", -1)) {
      int eq = part.indexOf('=');
      kv.put(part.substring(0, eq), part.substring(eq + 1));
    }
    if (!"ok".equals(kv.get("status"))) {
      return "With -Xmx" + xmx + " the lazy path ran out of heap: " + line;
    }
    return String.format(
        Locale.ROOT,
        "With `-Xmx%s` (max heap %,d MiB), spill moved %,d rows"
            + " (%,d MiB of Parquet, **%sx the heap**) to DuckDB lazily, aggregated them there and"
            + " brought %s groups back to Spark in %s s, without `OutOfMemoryError`: heap pools' peak sum %,d"
            + " MiB, process RSS peak %,d MiB (DuckDB memory limit 1 GB).",
        xmx,
        Long.parseLong(kv.get("xmx")) >> 20,
        Long.parseLong(kv.get("rows")),
        Long.parseLong(kv.get("spill_bytes")) >> 20,
        kv.get("ratio"),
        kv.get("groups"),
        kv.get("seconds"),
        Long.parseLong(kv.get("heap_peak")) >> 20,
        Long.parseLong(kv.get("rss_peak")) >> 20);
  }
}
