package example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.spi.SpillConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Without spill-storage-local, the default store and a file: store name the module to add. */
class WithoutLocalStoreTest {
  @Test
  void theErrorNamesTheModule() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("consumer")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    Path root = Files.createTempDirectory("consumer-");
    for (String store : new String[] {null, root.resolve("store").toUri().toString()}) {
      var builder =
          VolumeSpiller.builder(spark, DuckDbEngine.create()).localDir(root.resolve("local"));
      if (store != null) {
        builder.store(store);
      }
      SpillConfigurationException e =
          assertThrows(SpillConfigurationException.class, builder::build);
      assertTrue(e.getMessage().contains("io.spill:spill-storage-local"), e.getMessage());
    }
  }
}
