package io.spill.examples;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The "sandwich" end to end: a synthetic orders Dataset on local Spark, spilled to a local store,
 * aggregated in DuckDB, and brought back to Spark, with a checkpoint on the way. Prints what it did
 * and how long each step took.
 */
public final class SandwichDemo {
  private final PrintStream out;
  private final List<String[]> steps = new ArrayList<>();

  SandwichDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    SparkSession spark = LocalSpark.builder("spill-demo").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path workDir = Files.createTempDirectory("spill-demo-");
    try {
      new SandwichDemo(System.out).run(spark, rows, workDir.resolve("store"));
    } finally {
      spark.stop();
      Files.deleteIfExists(workDir);
    }
  }

  /**
   * Runs the sandwich on {@code rows} orders with a spill store at {@code storeDir} and returns the
   * result rows (collected: the Dataset itself reads spill files, gone after teardown).
   */
  List<Row> run(SparkSession spark, long rows, Path storeDir) {
    out.printf(
        Locale.ROOT,
        "spill demo: %,d synthetic orders on Spark %s (%s)%n",
        rows,
        spark.version(),
        spark.sparkContext().master());
    Dataset<Row> orders =
        time(
            "make the orders Dataset in Spark",
            () -> {
              Dataset<Row> df =
                  spark
                      .range(0, rows, 1, 8)
                      .selectExpr(
                          "id AS order_id",
                          "element_at(array('north', 'south', 'east', 'west', 'central'),"
                              + " CAST(id % 5 AS INT) + 1) AS region",
                          "CASE WHEN id % 10 < 7 THEN 'active' WHEN id % 10 < 9 THEN 'pending'"
                              + " ELSE 'cancelled' END AS status",
                          "CAST((id * 7919 % 100000) / 100.0 AS DECIMAL(12,2)) AS sales",
                          "CAST(id % 13 + 1 AS INT) AS quantity",
                          "TIMESTAMP '2026-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id % 31536000)"
                              + " AS ordered_at");
              df.cache().count();
              return df;
            });
    out.println("schema: " + orders.schema().simpleString());

    // PROD: the store folder is spill's own, so teardown leaves nothing behind.
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store(storeDir.toUri().toString())
            .localDir(storeDir.resolveSibling("local"))
            .mode(Mode.PROD)
            .build()) {
      DuckDbFrame frame =
          time("Spark -> DuckDB (sparkToEngine, auto)", () -> spill.sparkToEngine(orders));
      DuckDbFrame result =
          time(
              "DuckDB: sales by region of active orders",
              () ->
                  frame.sql(
                      "SELECT region, count(*) AS orders, sum(sales) AS sales, sum(quantity) AS quantity,"
                          + " max(ordered_at) AS last_order FROM this WHERE status = 'active'"
                          + " GROUP BY region ORDER BY region"));
      Dataset<Row> back =
          time("DuckDB -> Spark (write Parquet, read)", () -> spill.engineToSpark(result, true));
      List<Row> collected = time("collect the result in Spark", back::collectAsList);
      out.println();
      out.println("result (" + collected.size() + " regions), back in Spark:");
      out.println("  " + back.schema().simpleString());
      collected.forEach(r -> out.println("  " + r));
      time(
          "checkpoint the result (Spark -> store)",
          () -> {
            spill.saveCheckpointSpark(back, "sales_by_region", Storage.VOLUME);
            return null;
          });
      out.println("checkpoints: " + spill.listCheckpoints());
      long reloaded =
          time(
              "load the checkpoint into DuckDB",
              () -> spill.loadCheckpointFrame("sales_by_region").count());
      out.println("checkpoint rows reloaded in DuckDB: " + reloaded);
      time(
          "teardown (PROD: remove the run and its store folder)",
          () -> {
            spill.teardown();
            return null;
          });
      printSteps();
      return collected;
    }
  }

  private <T> T time(String step, Supplier<T> action) {
    long start = System.nanoTime();
    T value = action.get();
    steps.add(
        new String[] {
          step, String.format(Locale.ROOT, "%8.3f s", (System.nanoTime() - start) / 1e9)
        });
    return value;
  }

  private void printSteps() {
    out.println();
    out.println("step times:");
    steps.forEach(s -> out.printf(Locale.ROOT, "  %-55s %s%n", s[0], s[1]));
  }
}
