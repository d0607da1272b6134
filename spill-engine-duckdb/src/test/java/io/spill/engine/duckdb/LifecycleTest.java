package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.PurgeReport;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillConfigurationException;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
  @TempDir Path tmp;

  private Path volume() {
    return tmp.resolve("volume");
  }

  private VolumeSpiller<DuckDbFrame> spiller(Mode mode) {
    return SpillerFixture.spiller(volume(), tmp.resolve("local"), mode);
  }

  @Test
  void devTeardownRemovesThisRunsFilesAndKeepsCheckpoints() {
    VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV);
    spill.sparkToEngine(spark().range(10).toDF(), ToEngine.lazy());
    spill.saveCheckpointSpark(spark().range(10).toDF(), "kept");
    Path run = volume().resolve("_spill").resolve(spill.runId());
    assertThat(run).isDirectory();
    spill.teardown();
    assertThat(run).doesNotExist();
    try (VolumeSpiller<DuckDbFrame> next = spiller(Mode.DEV)) {
      assertThat(next.listCheckpoints()).containsExactly("kept");
    }
  }

  @Test
  void teardownIsIdempotentAndTheSpillerRefusesWorkAfterIt() {
    VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV);
    spill.teardown();
    spill.close();
    assertThatThrownBy(() -> spill.listCheckpoints())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("was torn down");
  }

  @Test
  void prodRemovesWhatItsRunCreatedAndDropsTheFolderItCreated() {
    VolumeSpiller<DuckDbFrame> spill = spiller(Mode.PROD);
    assertThat(volume().resolve(".spill-owner.json")).exists();
    spill.saveCheckpointSpark(spark().range(10).toDF(), "tmp_result");
    spill.sparkToEngine(spark().range(10).toDF(), ToEngine.lazy());
    spill.teardown();
    assertThat(volume()).doesNotExist();
  }

  @Test
  void prodNeverTouchesOtherRunsOrForeignFiles() throws Exception {
    try (VolumeSpiller<DuckDbFrame> dev = spiller(Mode.DEV)) {
      dev.saveCheckpointSpark(spark().range(2).toDF(), "someone_elses");
    }
    Files.writeString(volume().resolve("notes.txt"), "not spill's");
    VolumeSpiller<DuckDbFrame> other = spiller(Mode.DEV);
    VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD);
    prod.saveCheckpointSpark(spark().range(2).toDF(), "mine");
    prod.teardown();
    assertThat(volume().resolve("notes.txt")).exists();
    assertThat(volume().resolve("_spill").resolve(other.runId())).isDirectory();
    assertThat(other.listCheckpoints()).containsExactly("someone_elses");
    other.close();
  }

  @Test
  void prodKeepsAFolderItDidNotCreate() throws Exception {
    Files.createDirectories(volume());
    VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD);
    prod.saveCheckpointSpark(spark().range(2).toDF(), "mine");
    prod.teardown();
    assertThat(volume()).isDirectory();
    assertThat(volume().resolve("checkpoints/mine")).doesNotExist();
  }

  @Test
  void purgeRemovesOnlyStaleRunsAndOrphanedData() throws Exception {
    Path crashed = volume().resolve("_spill/20200101T000000000Z-0123abcd/frames/x");
    Files.createDirectories(crashed);
    Path foreign = Files.createDirectories(volume().resolve("_spill/not-a-run"));
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      spill.saveCheckpointSpark(spark().range(2).toDF(), "cp");
      Path orphan = Files.createDirectories(volume().resolve("checkpoints/cp/data-orphan"));
      Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(0));
      PurgeReport report = spill.purgeStaleRuns(Duration.ofHours(1));
      assertThat(report.runs()).hasSize(1).first().asString().contains("0123abcd");
      assertThat(report.orphanedData()).hasSize(1).first().asString().contains("data-orphan");
      assertThat(crashed).doesNotExist();
      assertThat(foreign).isDirectory();
      assertThat(volume().resolve("_spill").resolve(spill.runId())).isDirectory();
      assertThat(spill.loadCheckpointSpark("cp").count()).isEqualTo(2);
    }
  }

  @Test
  void optionsAreValidatedAgainstTheStoreAndEngine() {
    var builder = VolumeSpiller.builder(SparkTestSession.get()).engine(DuckDbEngine.create())
        .localDir(tmp.resolve("local")).shutdownHook(false);
    assertThatThrownBy(() -> builder.option("duckdb.memory-limt", "1GB").build())
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("unknown option 'duckdb.memory-limt'")
        .hasMessageContaining("duckdb.memory-limit");
    var other = VolumeSpiller.builder(SparkTestSession.get()).engine(DuckDbEngine.create())
        .localDir(tmp.resolve("local")).shutdownHook(false);
    assertThatThrownBy(() -> other.option("s3.region", "eu-west-1").build())
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("'s3.region' is not used by the store");
  }

  @Test
  void missingModulesAndEnginesAreNamed() {
    var builder = VolumeSpiller.builder(SparkTestSession.get());
    assertThatThrownBy(builder::build).isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("DuckDbEngine.create()");
    assertThatThrownBy(() -> builder.engine(DuckDbEngine.create())
        .volume("main", "default", "spill_vol").shutdownHook(false).build())
        .hasMessageContaining("io.spill:spill-storage-uc");
    assertThatThrownBy(() -> builder.engine("arrow", Object.class))
        .hasMessageContaining("io.spill:spill-engine-arrow");
  }

  @Test
  void anEngineChosenByNameWorks() {
    try (VolumeSpiller<DuckDbFrame> spill = VolumeSpiller.builder(SparkTestSession.get())
        .engine("duckdb", DuckDbFrame.class).option("duckdb.threads", "1")
        .localDir(tmp.resolve("local")).shutdownHook(false).build()) {
      assertThat(spill.sparkToEngine(spark().range(7).toDF()).count()).isEqualTo(7);
      assertThat(spill.store(Storage.VOLUME)).isSameAs(spill.store(Storage.LOCAL));
    }
  }
}
