package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.SqlRunner;
import io.spill.testkit.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No token in any log line: a sandwich through the Files API with retried faults, a checkpoint and
 * a refused token are logged (spill and the Databricks SDK at DEBUG, Spark at INFO) to {@code
 * target/test-logs/all.log}, which then holds neither the right token nor the wrong one.
 */
class NoTokenInLogsTest {
  @TempDir Path temp;

  @Test
  void neitherTokenIsLogged() throws Exception {
    var spark = SparkTestSession.get();
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NoTokenInLogsTest.class);
    String wrongToken = "dapi-refused-TOKEN-77bb";
    try (UcFixture fixture = new UcFixture(temp)) {
      fixture.workspace.inject("PUT", "/_spill/", new FakeWorkspace.Status(503));
      fixture.workspace.inject("GET", "/_spill/", new FakeWorkspace.Truncate());
      try (VolumeSpiller<DuckDbFrame> spill =
          VolumeSpiller.builder(spark)
              .engine(DuckDbEngine.create())
              .store(UcFixture.location("logs"))
              .options(fixture.options("api"))
              .localDir(temp.resolve("local"))
              .mode(Mode.PROD)
              .shutdownHook(false)
              .build()) {
        var df = spark.sql("SELECT id FROM range(100)");
        spill.saveCheckpointFrame(spill.sparkToEngine(df, ToEngine.eager()), "logged");
        assertThat(spill.loadCheckpointFrame("logged").count()).isEqualTo(100);
      }
      Map<String, String> wrong = new LinkedHashMap<>(fixture.options("api"));
      wrong.put("uc.token", wrongToken);
      log.warn(
          "refused",
          org.assertj.core.api.Assertions.catchThrowable(
              () ->
                  UcVolumeStore.open(
                          UcFixture.location("logs"), UcSettings.from(wrong), (SqlRunner) null)
                      .createContainerIfMissing()));
      assertThat(fixture.workspace.pendingFaults()).isZero();
    }
    String text = Files.readString(Path.of("target/test-logs/all.log"), StandardCharsets.UTF_8);
    assertThat(text)
        .as("the log captured spill's lines, the SDK's requests, the retries and" + " the error")
        .contains("spill: checkpoint 'logged'")
        .contains("/api/2.0/fs/files")
        .contains("trying again")
        .contains("StorageAccessException");
    assertThat(text).doesNotContain(UcFixture.TOKEN).doesNotContain(wrongToken);
  }
}
