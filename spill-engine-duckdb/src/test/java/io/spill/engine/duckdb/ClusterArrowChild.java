package io.spill.engine.duckdb;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillException;
import io.spill.testkit.LogLines;
import io.spill.testkit.SparkLocalCluster;
import io.spill.testkit.SparkSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Run in a child JVM by {@link ClusterArrowTest}: a driver on a local cluster, whose executor is a
 * JVM of its own, so that each partition's Arrow batches reach the driver as Spark's task results.
 * Prints one line per case: {@code <case> <outcome> | <spill's transfer log line>}.
 */
public final class ClusterArrowChild {
  private ClusterArrowChild() {}

  public static void main(String[] args) throws SQLException {
    Path root = Path.of(args[0]);
    SparkSession spark = SparkLocalCluster.session(2);
    System.out.println("IS_LOCAL " + spark.sparkContext().isLocal());
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store(root.resolve("volume").toUri().toString())
            .localDir(root.resolve("local"))
            .build()) {
      try (LogLines log = LogLines.capture()) {
        DuckDbFrame frame = spill.sparkToEngine(everyType(), ToEngine.arrow());
        for (String row : rows(frame)) {
          // Base64: a row's text holds a NUL and other characters a console line may not keep
          System.out.println(
              "ROW " + Base64.getEncoder().encodeToString(row.getBytes(StandardCharsets.UTF_8)));
        }
        print("EVERY_TYPE", "rows " + frame.count(), log);
      }
      try (LogLines log = LogLines.capture()) {
        Dataset<Row> df = spark.range(0, 50_000, 1, 5).toDF().orderBy(functions.col("id").desc());
        DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.arrow());
        print("ORDER", descending(frame) ? "descending " + frame.count() : "unordered", log);
      }
      // Spark sizes this plan at a few hundred bytes; its batches hold 2,000,000 rows. (No spill
      // instead here: this store is on the driver's disk, which a cluster's executors cannot see.)
      Dataset<Row> underestimated =
          spark
              .range(0, 4, 1, 2)
              .selectExpr("explode(sequence(1, 500000)) AS x", "id")
              .selectExpr("x", "id", "concat('row ', x) AS s");
      try {
        spill.sparkToEngine(underestimated, ToEngine.arrow().arrowLimitBytes(4L << 20));
        System.out.println("OVERFLOW none");
      } catch (SpillException e) {
        System.out.println("OVERFLOW error " + e.getMessage());
      }
      DuckDbFrame small = spill.sparkToEngine(spark.range(0, 10, 1, 2).toDF(), ToEngine.arrow());
      System.out.println("AFTER rows " + small.count());
    }
    spark.stop();
    System.out.println("DONE");
  }

  /** {@link SparkSamples#allTypes}, in three partitions. */
  static Dataset<Row> everyType() {
    return SparkSamples.allTypes().repartition(3);
  }

  /**
   * Each row of {@code frame} (of {@link #everyType}) as DuckDB prints it, in that text's order;
   * its map column as its entries sorted, since a map's order is not data (and the sample's Java
   * maps iterate in an order that differs from JVM to JVM).
   */
  static List<String> rows(DuckDbFrame frame) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = frame.connection().createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT CAST(t AS VARCHAR) AS r FROM (SELECT * REPLACE"
                    + " (list_sort(map_entries(\"map\")) AS \"map\") FROM "
                    + frame.tableName()
                    + ") t ORDER BY r")) {
      while (r.next()) {
        rows.add(r.getString(1));
      }
    }
    return rows;
  }

  private static boolean descending(DuckDbFrame frame) throws SQLException {
    long previous = Long.MAX_VALUE;
    try (Statement s = frame.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + frame.tableName())) {
      while (r.next()) {
        if (r.getLong(1) >= previous) {
          return false;
        }
        previous = r.getLong(1);
      }
    }
    return true;
  }

  private static void print(String name, String outcome, LogLines log) {
    List<String> moves = log.containing("spill: Spark -> duckdb");
    System.out.println(name + " " + outcome + " | " + String.join(" || ", moves));
  }
}
