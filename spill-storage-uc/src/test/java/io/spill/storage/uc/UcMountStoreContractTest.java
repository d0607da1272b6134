package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SpillStore;
import io.spill.spi.SqlRunner;
import io.spill.testkit.SpillStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract in {@code mount} mode: the driver's JVM reads and writes the volume's folder
 * directly (here a local folder that the fake workspace serves as well).
 */
class UcMountStoreContractTest extends SpillStoreContract {
  private static final UcFixture FIXTURE = UcFixture.withVolume("contract");

  @AfterAll
  static void stop() {
    FIXTURE.close();
  }

  @Override
  protected SpillStore newStore() {
    return UcVolumeStore.open(
        UcFixture.location("contract") + "/run-" + UUID.randomUUID(),
        FIXTURE.settings("mount"),
        (SqlRunner) null);
  }

  @Test
  void theEngineReadsTheMountedFilesWithoutStaging() {
    UcVolumeStore s = (UcVolumeStore) store;
    assertThat(s.fileAccess()).isEqualTo(UcSettings.FileAccess.MOUNT);
    assertThat(s.stagesFiles()).isFalse();
    assertThat(s.engineUri("a.parquet")).startsWith(FIXTURE.volumes + "/main/team_a/contract/");
    assertThat(FIXTURE.workspace.count("GET", "/api/2.0/fs/")).as("no Files API call").isZero();
  }
}
