package io.spill.engine.duckdb;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillException;
import io.spill.testkit.LogLines;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Run in a child JVM by {@link ArrowRetryTest}: a driver on {@code local[2,2]}, whose executors
 * share its JVM and retry a failed task once (as on a Databricks single-node cluster). A task fails
 * after it has encoded three batches; its retry encodes them again. Prints {@code RETRY <outcome> |
 * <spill's transfer log line>}.
 */
public final class ArrowRetryChild {
  /** First attempts of partition 1 that failed on purpose. */
  private static final AtomicInteger failedAttempts = new AtomicInteger();

  private ArrowRetryChild() {}

  public static void main(String[] args) throws SQLException {
    Path root = Path.of(args[0]);
    SparkSession spark =
        SparkSession.builder()
            .master("local[2,2]")
            .appName("spill-retry")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    UserDefinedFunction failOnce =
        functions
            .udf(
                (UDF1<Long, Long>)
                    id -> {
                      if (id == 75_000L && TaskContext.get().attemptNumber() == 0) {
                        failedAttempts.incrementAndGet();
                        throw new IllegalStateException("first attempt fails at " + id);
                      }
                      return id;
                    },
                DataTypes.LongType)
            .asNondeterministic();
    // two partitions of 40,000 longs: 8 batches of 10,000 rows, about 641,000 bytes in all; the
    // second partition's first attempt fails in its fourth batch, after three (about 240,000)
    Dataset<Row> df =
        spark.range(0, 80_000, 1, 2).select(failOnce.apply(functions.col("id")).as("id"));
    try (VolumeSpiller<DuckDbFrame> spill =
            VolumeSpiller.builder(spark)
                .engine(DuckDbEngine.create())
                .store(root.resolve("volume").toUri().toString())
                .localDir(root.resolve("local"))
                .build();
        LogLines log = LogLines.capture()) {
      String outcome;
      try {
        DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.arrow().arrowLimitBytes(800_000));
        outcome = "rows " + frame.count() + (ascending(frame) ? " ascending" : " unordered");
      } catch (SpillException e) {
        outcome = "error " + e.getMessage();
      }
      System.out.println(
          "RETRY "
              + outcome
              + " failed attempts "
              + failedAttempts.get()
              + " | "
              + String.join(" || ", log.containing("spill: Spark -> duckdb")));
    }
    spark.stop();
    System.out.println("DONE");
  }

  private static boolean ascending(DuckDbFrame frame) throws SQLException {
    long previous = -1;
    try (Statement s = frame.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + frame.tableName())) {
      while (r.next()) {
        if (r.getLong(1) != previous + 1) {
          return false;
        }
        previous = r.getLong(1);
      }
    }
    return true;
  }
}
