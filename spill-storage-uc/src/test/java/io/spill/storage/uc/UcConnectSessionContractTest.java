package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.SpillConfigurationException;
import io.spill.testkit.SparkConnectTestSession;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off cluster as with Databricks Connect: a real Spark Connect session (a Connect server in this
 * JVM on the port the build reserved, reached over gRPC) and the fake Databricks workspace on
 * 127.0.0.1. The volume is created and dropped through the volumes API, the driver reaches the
 * files through the Files API, and {@code uc.ddl=sql} sends its statement through the Connect
 * session.
 */
class UcConnectSessionContractTest {
  @TempDir Path temp;

  @Test
  void theSandwichRunsOnAConnectSessionThroughTheFilesApi() throws Exception {
    SparkSession spark = SparkConnectTestSession.connect();
    assertThat(spark.getClass().getName()).startsWith("org.apache.spark.sql.connect.");
    Dataset<Row> df =
        spark.sql(
            "SELECT id, concat('n', id) AS name,"
                + " TIMESTAMP '2024-01-01 00:00:00' + make_dt_interval(0, 0, id) AS ts FROM range(500)");
    try (UcFixture fixture = new UcFixture(temp)) {
      Path volume = fixture.volumes.resolve("main/team_a/connect");
      try (VolumeSpiller<DuckDbFrame> spill =
          VolumeSpiller.builder(spark)
              .engine(DuckDbEngine.create())
              .store(UcFixture.location("connect"))
              .options(fixture.options("api"))
              .localDir(temp.resolve("local"))
              .mode(Mode.PROD)
              .shutdownHook(false)
              .build()) {
        assertThat(volume).as("created through the volumes API").isDirectory();
        assertThat(spill.sparkToEngine(df, ToEngine.eager()).count()).isEqualTo(500);
        DuckDbFrame lazy = spill.sparkToEngine(df, ToEngine.lazy());
        assertThat(spill.engineToSpark(lazy.sql("SELECT * FROM this WHERE id < 10")).count())
            .isEqualTo(10);
        spill.saveCheckpointSpark(df, "connect_cp");
        assertThat(spill.loadCheckpointFrame("connect_cp").count()).isEqualTo(500);
        assertThat(spill.loadCheckpointSpark("connect_cp").collectAsList())
            .containsExactlyInAnyOrderElementsOf(df.collectAsList());
      }
      assertThat(volume).as("PROD dropped the volume it created").doesNotExist();
    }
  }

  @Test
  void sqlDdlGoesThroughTheConnectSession() throws Exception {
    SparkSession spark = SparkConnectTestSession.connect();
    try (UcFixture fixture = new UcFixture(temp)) {
      Map<String, String> options = new LinkedHashMap<>(fixture.options("api"));
      options.put("uc.ddl", "sql");
      assertThatThrownBy(
              () ->
                  VolumeSpiller.builder(spark)
                      .engine(DuckDbEngine.create())
                      .store(UcFixture.location("by_sql"))
                      .options(options)
                      .localDir(temp.resolve("local"))
                      .shutdownHook(false)
                      .build())
          .isInstanceOf(SpillConfigurationException.class)
          .hasMessageContaining("cannot run 'CREATE VOLUME `main`.`team_a`.`by_sql`'")
          .cause()
          .as("the Connect server's own parse error")
          .hasMessageContaining("PARSE_SYNTAX_ERROR");
      assertThat(fixture.volumes.resolve("main/team_a/by_sql")).doesNotExist();
    }
  }
}
