package io.spill.engine.duckdb;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillException;
import io.spill.testkit.LogLines;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link MaxResultSizeTest}: a driver started with {@code
 * spark.driver.maxResultSize=2m}, which a session cannot change once its SparkContext runs. Each
 * transfer prints one line: {@code <case> <count or error> | <spill's transfer log line>}.
 */
public final class MaxResultSizeChild {
  private MaxResultSizeChild() {}

  public static void main(String[] args) {
    // The suite's session, with the setting Spark reads from a spark.* system property.
    System.setProperty("spark.driver.maxResultSize", "2m");
    SparkSession spark = SparkTestSession.get();
    Path root = Path.of(args[0]);
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .localDir(root.resolve("local"))
            .build()) {
      // Spark sizes this plan at 3.2 MB: within auto's default threshold (a fifth of the default
      // limit, at least 256 MiB), over a fifth of the 2 MiB of spark.driver.maxResultSize.
      Dataset<Row> estimated = spark.range(0, 200_000, 1, 2).selectExpr("id", "id % 7 AS k");
      run("AUTO_ESTIMATE", spill, estimated, ToEngine.auto());
      // Spark sizes this plan at 480 KB: over a fifth of 2 MiB, within a threshold set at 1 MiB,
      // which the cut limit bounds but does not shrink.
      Dataset<Row> set = spark.range(0, 40_000, 1, 2).selectExpr("id", "id % 7 AS k");
      run("AUTO_SET", spill, set, ToEngine.auto().autoArrowMaxEstimateBytes(1 << 20));
      // Spark sizes this plan at a few hundred bytes; its batches hold 2,000,000 rows.
      Dataset<Row> underestimated =
          spark
              .range(0, 4, 1, 2)
              .selectExpr("explode(sequence(1, 500000)) AS x", "id")
              .selectExpr("x", "id", "concat('row ', x) AS s");
      run("AUTO_BATCHES", spill, underestimated, ToEngine.auto());
      run("ARROW_BATCHES", spill, underestimated, ToEngine.arrow());
      run("ARROW_SMALL", spill, spark.range(0, 10_000, 1, 2).toDF(), ToEngine.arrow());
    }
    spark.stop();
    System.out.println("DONE");
  }

  private static void run(
      String name, VolumeSpiller<DuckDbFrame> spill, Dataset<Row> df, ToEngine how) {
    String outcome;
    try (LogLines log = LogLines.capture()) {
      try (DuckDbFrame frame = spill.sparkToEngine(df, how)) {
        outcome = "rows " + frame.count();
      } catch (SpillException e) {
        outcome = "error " + e.getMessage();
      }
      System.out.println(name + " " + outcome + " | " + String.join(" / ", log.lines()));
    }
  }
}
