package io.spill.examples;

import io.spill.spark.SparkFrames;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** Shows every {@link SparkFrames} utility on a small Dataset; the README quotes its output. */
public final class SparkFramesTour {
  private SparkFramesTour() {}

  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path warehouse = java.nio.file.Files.createTempDirectory("spill-tour-");
    SparkSession spark =
        LocalSpark.builder("spill-spark-frames-tour")
            .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      run(spark, System.out);
    } finally {
      spark.stop();
    }
  }

  static void run(SparkSession spark, PrintStream out) {
    Dataset<Row> orders =
        spark.sql(
            "SELECT * FROM VALUES"
                + " (1, 'Ann', 'Oslo', 120.50, named_struct('street', 'Storgata 1', 'zip', '0155')),"
                + " (2, 'Bob', 'Rome', 80.00, named_struct('street', 'Via Roma 2', 'zip', '00184')),"
                + " (3, 'Ann', 'Oslo', 120.50, named_struct('street', 'Storgata 1', 'zip', '0155')),"
                + " (4, NULL, 'Köln', NULL, NULL),"
                + " (5, NULL, 'Köln', 15.25, named_struct('street', 'Domkloster 4', 'zip', '50667'))"
                + " AS t(`Order ID`, `Customer Name`, `Größe Stadt`, `count`, `Ship To`)");

    section(out, "glimpse(df)");
    SparkFrames.glimpse(orders);
    section(out, "frameShape(df)");
    out.println(SparkFrames.frameShape(orders));
    section(out, "keepDuplicates(df, \"Customer Name\", \"count\")");
    SparkFrames.keepDuplicates(orders, "Customer Name", "count").orderBy("`Order ID`").show(false);
    section(out, "isUnique(df, \"Order ID\") / isUnique(df, \"Customer Name\")");
    out.println(
        SparkFrames.isUnique(orders, "Order ID")
            + " / "
            + SparkFrames.isUnique(orders, "Customer Name"));
    section(out, "valueCounts(df, \"Größe Stadt\")");
    SparkFrames.valueCounts(orders, "Größe Stadt").show(false);
    section(out, "nullCounts(df)");
    SparkFrames.nullCounts(orders).show(false);
    section(out, "cleanColumnNames(df, true).columns()");
    Dataset<Row> clean = SparkFrames.cleanColumnNames(orders, true);
    out.println(
        String.join(", ", clean.columns())
            + "    ship_to: "
            + clean.schema().apply("ship_to").dataType().simpleString());
    section(out, "unnest(clean, \"ship_to\")");
    SparkFrames.unnest(clean, "ship_to").show(false);
    section(out, "selectByType(df, DataTypes.StringType)");
    out.println(
        String.join(", ", SparkFrames.selectByType(orders, DataTypes.StringType).columns()));
    section(out, "profile(df, 2)");
    SparkFrames.profile(orders, 2).show(false);
    section(out, "applyColumnComments(spark, \"orders\", ...)");
    clean.write().mode("overwrite").saveAsTable("spill_tour_orders");
    try {
      out.println(
          SparkFrames.applyColumnComments(
              spark,
              "spill_tour_orders",
              Map.of(
                  "order_id",
                  "The order's id",
                  "count",
                  "Amount in EUR",
                  "customer",
                  "no such column")));
    } finally {
      spark.sql("DROP TABLE IF EXISTS spill_tour_orders");
    }
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== SparkFrames." + title);
  }
}
