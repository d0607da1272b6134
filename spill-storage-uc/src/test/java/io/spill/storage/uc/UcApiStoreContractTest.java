package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SpillStore;
import io.spill.spi.SqlRunner;
import io.spill.testkit.SpillStoreContract;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract in {@code api} mode, against a fake Databricks workspace on 127.0.0.1 that
 * follows the Files API's published contract (listing pages of 3 entries, to exercise paging).
 */
class UcApiStoreContractTest extends SpillStoreContract {
  private static final UcFixture FIXTURE = UcFixture.withVolume("contract");

  @AfterAll
  static void stop() {
    FIXTURE.close();
  }

  @Override
  protected SpillStore newStore() {
    UcVolumeStore s =
        UcVolumeStore.open(
            UcFixture.location("contract") + "/run-" + UUID.randomUUID(),
            FIXTURE.settings("api"),
            (SqlRunner) null);
    assertThat(s.fileAccess()).isEqualTo(UcSettings.FileAccess.API);
    return s;
  }

  @Test
  void sparkUsesItsOwnVolumePathsAndTheDriverTheFilesApi() {
    assertThat(store.sparkUri("a/b.parquet"))
        .startsWith("file:" + FIXTURE.volumes + "/main/team_a/contract/run-")
        .endsWith("/a/b.parquet");
    assertThat(((UcVolumeStore) store).stagesFiles()).isTrue();
    assertThat(FIXTURE.workspace.count("GET", "/api/2.0/fs/directories/Volumes/main/team_a"))
        .as("listings went through the Files API")
        .isPositive();
    assertThat(Path.of(store.describe())).hasToString(store.describe());
  }
}
