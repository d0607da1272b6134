package io.spill.bench;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.examples.LocalSpark;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The scale case, run in its own JVM with a small {@code -Xmx}: spill a Dataset several times
 * larger than the heap, aggregate it lazily in DuckDB and bring the result back. Prints one line,
 * {@code SCALE key=value ...}, that {@link BenchmarkMain} reads.
 */
public final class ScaleCheck {
  private ScaleCheck() {}

  /**
   * Arguments: a work folder and the wanted ratio of spill bytes to {@code -Xmx} (4 or more for the
   * report; the tests pass a tiny ratio).
   */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    double wantedRatio = Double.parseDouble(args[1]);
    long xmx = Runtime.getRuntime().maxMemory();
    SparkSession spark = LocalSpark.builder("spill-scale-check").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    long start = System.nanoTime();
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store(work.resolve("store").toUri().toString())
            .localDir(work.resolve("local"))
            .option("duckdb.memory-limit", "1GB")
            .build()) {
      // Calibrate bytes per row on a sample, then spill enough rows to reach the ratio.
      long sampleRows = 200_000;
      DuckDbFrame sample = spill.sparkToEngine(wide(spark, sampleRows), ToEngine.lazy());
      long sampleBytes = spillBytes(work.resolve("store"));
      spill.engine().release(sample);
      long rows =
          Math.max(
              sampleRows,
              (long) Math.ceil(wantedRatio * xmx / ((double) sampleBytes / sampleRows) * 1.1));
      MemoryProbe.reset();
      DuckDbFrame lazy = spill.sparkToEngine(wide(spark, rows), ToEngine.lazy());
      long bytes = spillBytes(work.resolve("store")) - sampleBytes;
      DuckDbFrame result =
          lazy.sql(
              "SELECT category, count(*) AS n, sum(amount) AS amount,"
                  + " max(digest) AS max_digest FROM this GROUP BY category ORDER BY category");
      List<Row> back = spill.engineToSpark(result).collectAsList();
      long total = back.stream().mapToLong(r -> r.getLong(1)).sum();
      System.out.println(
          String.format(
              Locale.ROOT,
              "SCALE status=ok xmx=%d rows=%d spill_bytes=%d ratio=%.2f heap_peak=%d rss_peak=%d"
                  + " seconds=%.1f groups=%d rows_aggregated=%d",
              xmx,
              rows,
              bytes,
              (double) bytes / xmx,
              MemoryProbe.heapPeak(),
              MemoryProbe.rssPeak(),
              (System.nanoTime() - start) / 1e9,
              back.size(),
              total));
    } catch (OutOfMemoryError e) {
      System.out.println("SCALE status=oom xmx=" + xmx + " message=" + e.getMessage());
    } finally {
      spark.stop();
    }
    System.out.println("JVM " + ManagementFactory.getRuntimeMXBean().getVmVersion());
  }

  /** Mostly incompressible rows (two SHA-512 digests) so that the spill grows quickly. */
  private static Dataset<Row> wide(SparkSession spark, long rows) {
    return spark
        .range(0, rows, 1, 8)
        .selectExpr(
            "id",
            "element_at(array('books', 'games', 'tools', 'food', 'toys', 'music'),"
                + " CAST(id % 6 AS INT) + 1) AS category",
            "CAST((id % 100000) / 100.0 AS DECIMAL(18,2)) AS amount",
            "sha2(CAST(id AS STRING), 512) AS digest",
            "sha2(CAST(id * 31 AS STRING), 512) AS digest2");
  }

  private static long spillBytes(Path store) throws java.io.IOException {
    try (var files = Files.walk(store)) {
      return files
          .filter(p -> p.toString().endsWith(".parquet"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }
}
