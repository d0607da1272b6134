package io.spill.bench;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.arrow.ArrowEngine;
import io.spill.engine.arrow.ArrowFrame;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.engine.duckdb.DuckDbFrameEngine;
import io.spill.examples.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
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
 * 1000000,10000000} (the sizes of the Arrow cases; 0 skips them), {@code --warmups 2} (untimed
 * rounds before the timed ones; see {@link Rotation}), {@code --rss fresh} (the Spark -> DuckDB
 * cases' RSS from a fresh JVM each, {@link FreshRss}; {@code in-process} measures it in this JVM),
 * {@code --tpch-sf 1} (the scale factor of TPC-H {@code lineitem}, {@link TpchData}, sent through
 * the same Spark -> engine cases; 0 skips it). {@code --sizes 0} skips the synthetic Spark and
 * DuckDB cases.
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
      List<Long> arrowSizes,
      int warmups,
      boolean freshRss,
      double tpchScaleFactor) {
    static Options parse(String[] args) {
      List<Long> sizes = List.of(100_000L, 1_000_000L, 10_000_000L);
      int runs = 3;
      Path out = Path.of("docs");
      double ratio = 4.0;
      String xmx = "512m";
      long localRowsLimit = 2_000_000;
      List<Long> s3Sizes = List.of(1_000_000L, 10_000_000L);
      List<Long> arrowSizes = List.of(1_000_000L, 10_000_000L);
      int warmups = 2;
      boolean freshRss = true;
      double tpchScaleFactor = 1;
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
          case "--warmups" -> warmups = Integer.parseInt(v);
          case "--tpch-sf" -> tpchScaleFactor = Double.parseDouble(v);
          case "--rss" -> {
            if (!v.equals("fresh") && !v.equals("in-process")) {
              throw new IllegalArgumentException("--rss is fresh or in-process, got " + v);
            }
            freshRss = v.equals("fresh");
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; use --sizes, --runs, --out, --scale-ratio, --scale-xmx, --local-rows-limit,"
                      + " --s3-sizes, --arrow-sizes, --warmups, --rss, --tpch-sf");
        }
      }
      if (runs < 1) {
        throw new IllegalArgumentException("need at least one run, got --runs " + runs);
      }
      if (warmups < 0) {
        throw new IllegalArgumentException("--warmups cannot be negative, got " + warmups);
      }
      if (!(tpchScaleFactor >= 0)) {
        throw new IllegalArgumentException(
            "--tpch-sf is a scale factor (1 is about 6 million rows; 0 skips TPC-H), got "
                + tpchScaleFactor);
      }
      if (sizes.isEmpty() && s3Sizes.isEmpty() && arrowSizes.isEmpty() && tpchScaleFactor == 0) {
        throw new IllegalArgumentException(
            "nothing to run: --sizes, --s3-sizes, --arrow-sizes and --tpch-sf are all 0");
      }
      return new Options(
          sizes,
          runs,
          out,
          ratio,
          xmx,
          localRowsLimit,
          s3Sizes,
          arrowSizes,
          warmups,
          freshRss,
          tpchScaleFactor);
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
      results.addAll(sparkToDuckDb(spark, Workload.SYNTHETIC, source, size, sizeDir, options, log));
      try (VolumeSpiller<DuckDbFrame> spill = duckDbSpiller(spark, sizeDir);
          DuckDbFrame loaded = spill.sparkToEngine(source, ToEngine.eager());
          DuckDbFrame hugeInt =
              loaded.sql("SELECT * REPLACE (CAST(id AS HUGEINT) AS id) FROM this")) {
        results.addAll(
            Rotation.measure(
                Cases.duckDbToSpark(spill, loaded, hugeInt, source, options.localRowsLimit()),
                size,
                options.warmups(),
                options.runs(),
                log));
      }
      Cases.deleteTree(sizeDir);
    }
    if (options.tpchScaleFactor() > 0) {
      Path dir = work.resolve("tpch");
      Dataset<Row> source =
          TpchData.source(spark, options.tpchScaleFactor(), dir.resolve("source"));
      long rows = source.count();
      log.printf(
          Locale.ROOT,
          "== TPC-H lineitem, scale factor %s: %,d rows%n",
          options.tpchScaleFactor(),
          rows);
      results.addAll(sparkToDuckDb(spark, Workload.LINEITEM, source, rows, dir, options, log));
      Cases.deleteTree(dir);
    }
    if (!options.s3Sizes().isEmpty()) {
      try (S3Bench s3 = new S3Bench()) {
        for (long size : options.s3Sizes()) {
          log.printf(Locale.ROOT, "== S3, %,d rows%n", size);
          Path sizeDir = work.resolve("s3-" + size);
          Dataset<Row> source = BenchData.source(spark, size, sizeDir.resolve("source"));
          try (VolumeSpiller<DuckDbFrame> spill = s3.spiller(spark, sizeDir.resolve("local"))) {
            spill.saveCheckpointSpark(source, "bench");
            results.addAll(
                Rotation.measure(
                    S3Bench.cases(spill, "bench", size, sizeDir),
                    size,
                    options.warmups(),
                    options.runs(),
                    log));
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
            results.addAll(
                Rotation.measure(arrow.cases(duck), size, options.warmups(), options.runs(), log));
          }
          Cases.deleteTree(sizeDir);
        }
      }
    }
    String scale =
        options.scaleRatio() > 0
            ? scaleCase(work.resolve("scale"), options.scaleRatio(), options.scaleXmx(), log)
            : "Not run (--scale-ratio 0).";
    java.util.Map<String, String> environment =
        BenchReport.environment(spark.version(), duckDbVersion);
    environment.put(
        "rounds",
        options.warmups()
            + " warm-up and "
            + options.runs()
            + " timed per case, every case once per round, in rotation");
    environment.put(
        "RSS",
        options.freshRss()
            ? "Spark -> DuckDB from a fresh JVM per case; other tables in the shared JVM"
            : "in the shared JVM (--rss in-process)");
    BenchReport.write(options.out(), environment, results, scale);
    log.println(
        "wrote "
            + options.out().resolve("BENCHMARKS.md")
            + " and "
            + options.out().resolve("benchmarks.png"));
    return results;
  }

  /**
   * The Spark -> engine cases over {@code source} ({@code rows} rows, written as Parquet under
   * {@code dir/source}), in rotation; then, unless {@code --rss in-process}, each case's peak RSS
   * from a fresh JVM.
   */
  private static List<Measurement> sparkToDuckDb(
      SparkSession spark,
      Workload workload,
      Dataset<Row> source,
      long rows,
      Path dir,
      Options options,
      java.io.PrintStream log)
      throws Exception {
    List<Measurement> timed;
    try (VolumeSpiller<DuckDbFrame> spill = duckDbSpiller(spark, dir);
        VolumeSpiller<ArrowFrame> arrowSpill =
            VolumeSpiller.builder(spark)
                .engine(ArrowEngine.create())
                .store(dir.resolve("arrow-store").toUri().toString())
                .localDir(dir.resolve("arrow-local"))
                .build();
        DuckDbFrameEngine collectEngine = DuckDbEngine.create()) {
      DuckDBConnection duck = collectEngine.connection().unwrap(DuckDBConnection.class);
      timed =
          Rotation.measure(
              Cases.sparkToDuckDb(workload, spill, arrowSpill, source, duck, dir),
              rows,
              options.warmups(),
              options.runs(),
              log);
    }
    if (!options.freshRss()) {
      return timed;
    }
    List<Measurement> measured = new ArrayList<>();
    for (Measurement m : timed) {
      if (m.failure() != null) {
        measured.add(m);
        continue;
      }
      // The child gets this JVM's -Xmx: a full collection first lets G1 give back the heap the
      // timed rounds grew, so that the two JVMs' peaks never add up to more than the machine has.
      System.gc();
      measured.add(
          m.withRss(
              FreshRss.measure(
                  workload,
                  rows,
                  dir.resolve("source"),
                  dir.resolve("fresh-" + measured.size()),
                  m.name(),
                  log)));
    }
    return measured;
  }

  /** A spiller with DuckDB and the local store under {@code dir}. */
  private static VolumeSpiller<DuckDbFrame> duckDbSpiller(SparkSession spark, Path dir) {
    return VolumeSpiller.builder(spark)
        .engine(DuckDbEngine.create())
        .store(dir.resolve("store").toUri().toString())
        .localDir(dir.resolve("local"))
        .build();
  }

  /** Runs {@link ScaleCheck} in a child JVM with a small heap; returns the report's paragraph. */
  static String scaleCase(Path work, double ratio, String xmx, java.io.PrintStream log)
      throws Exception {
    Files.createDirectories(work);
    List<String> cmd =
        FreshRss.javaCommand(xmx, ScaleCheck.class, work.toString(), Double.toString(ratio));
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
