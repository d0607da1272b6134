package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SqlRunner;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uc.ddl=sql} (the default) on a real local Spark: the statement goes to the session's
 * {@code sql}; open-source Spark has no volume DDL, and spill says so with the fix.
 */
class UcSqlDdlTest {
  @TempDir Path temp;

  @Test
  void openSourceSparkRefusesVolumeDdlAndSpillNamesTheFix() throws Exception {
    try (UcFixture fixture = new UcFixture(temp)) {
      Map<String, String> options = new java.util.LinkedHashMap<>(fixture.options("api"));
      options.put("uc.ddl", "sql");
      assertThatThrownBy(
              () ->
                  VolumeSpiller.builder(SparkTestSession.get())
                      .engine(DuckDbEngine.create())
                      .store(UcFixture.location("fresh"))
                      .options(options)
                      .localDir(temp.resolve("local"))
                      .shutdownHook(false)
                      .build())
          .isInstanceOf(SpillConfigurationException.class)
          .hasMessageContaining("cannot run 'CREATE VOLUME `main`.`team_a`.`fresh`'")
          .hasMessageContaining("uc.ddl=api")
          .hasMessageContaining("uc.ddl=none");
      assertThat(fixture.volumes.resolve("main/team_a/fresh")).doesNotExist();
    }
  }

  @Test
  void sqlDdlWithoutASessionIsAConfigurationError() {
    assertThatThrownBy(
            () -> UcVolumeStore.open("/Volumes/a/b/c", UcSettings.defaults(), (SqlRunner) null))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("uc.ddl=sql needs the Spark session");
  }
}
