package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The README's sandwich, in a build that has only what the README tells a user to add. */
class SandwichTest {
  @Test
  void theReadmeSandwichWorks() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("consumer")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    Path root = Files.createTempDirectory("consumer-");
    Dataset<Row> sparkDf =
        spark.sql(
            "SELECT id, IF(id % 2 = 0, 'active', 'done') AS status,"
                + " CAST(id % 3 AS STRING) AS region, CAST(id AS DECIMAL(10,2)) AS sales"
                + " FROM range(1000)");
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .store(root.resolve("store").toUri().toString())
            .engine(DuckDbEngine.create())
            .localDir(root.resolve("local"))
            .dev(true)
            .build()) {
      DuckDbFrame orders = spill.sparkToEngine(sparkDf);
      DuckDbFrame lazy = spill.sparkToEngine(sparkDf, ToEngine.lazy().optimizeFiles(true));
      DuckDbFrame result =
          orders.sql(
              "SELECT region, sum(sales) AS sales FROM this"
                  + " WHERE status = 'active' GROUP BY region");
      Dataset<Row> back = spill.engineToSpark(result);
      assertEquals(3, back.count());
      assertEquals(1000, lazy.count());
      spill.saveCheckpointFrame(result, "step_1_cleaned");
      spill.saveCheckpointSpark(sparkDf, "raw_spark_backup");
      spill.saveCheckpointFrame(orders, "temp_cache", Storage.LOCAL);
      assertEquals(List.of("raw_spark_backup", "step_1_cleaned"), spill.listCheckpoints());
      assertEquals(1000, spill.loadCheckpointFrame("temp_cache", Storage.LOCAL).count());
      assertEquals(1000, spill.loadCheckpointSpark("raw_spark_backup").count());
      spill.deleteCheckpoint("temp_cache", Storage.LOCAL);
    }
  }
}
