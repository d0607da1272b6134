package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.PurgeReport;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.VolumeSpillerBuilder;
import io.spill.spi.InvalidIdentifierException;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
  private static volatile CountDownLatch SAVE_STARTED;
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
    Path run = volume().resolve("_spill/runs").resolve(spill.runId());
    assertThat(run.resolve("_run.json")).isRegularFile();
    spill.teardown();
    assertThat(run).doesNotExist();
    try (VolumeSpiller<DuckDbFrame> next = spiller(Mode.DEV)) {
      assertThat(next.listCheckpoints()).containsExactly("kept");
      assertThat(next.loadCheckpointSpark("kept").count()).isEqualTo(10);
    }
  }

  @Test
  void teardownIsIdempotentAndTheSpillerRefusesWorkAfterIt() {
    VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV);
    spill.teardown();
    spill.close();
    assertThatThrownBy(() -> spill.listCheckpoints())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("torn down")
        .hasMessageContaining("build a new VolumeSpiller");
  }

  @Test
  void prodRemovesWhatItsRunCreatedAndDropsTheFolderItCreated() {
    VolumeSpiller<DuckDbFrame> spill = spiller(Mode.PROD);
    assertThat(volume().resolve("_spill/owner.json")).exists();
    spill.saveCheckpointSpark(spark().range(10).toDF(), "tmp_result");
    spill.sparkToEngine(spark().range(10).toDF(), ToEngine.lazy());
    spill.teardown();
    assertThat(volume()).doesNotExist();
  }

  @Test
  void prodKeepsAFolderItDidNotCreate() throws Exception {
    Files.createDirectories(volume());
    VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD);
    prod.saveCheckpointSpark(spark().range(2).toDF(), "mine");
    prod.teardown();
    assertThat(volume()).isDirectory();
    assertThat(volume().resolve("_spill/checkpoints/mine")).doesNotExist();
  }

  @Test
  void aProdRunThatOverwritesADevCheckpointPutsItBack() throws Exception {
    try (VolumeSpiller<DuckDbFrame> dev = spiller(Mode.DEV)) {
      dev.saveCheckpointSpark(spark().range(3).toDF(), "shared");
    }
    try (VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD)) {
      prod.saveCheckpointSpark(spark().range(7).toDF(), "shared");
      assertThat(prod.loadCheckpointSpark("shared").count()).isEqualTo(7);
      prod.saveCheckpointFrame(
          prod.sparkToEngine(spark().range(9).toDF(), ToEngine.eager()), "shared");
      assertThat(prod.loadCheckpointSpark("shared").count()).isEqualTo(9);
    }
    try (VolumeSpiller<DuckDbFrame> after = spiller(Mode.DEV)) {
      assertThat(after.listCheckpoints()).containsExactly("shared");
      assertThat(after.loadCheckpointSpark("shared").count()).isEqualTo(3);
      assertThat(after.loadCheckpointFrame("shared").count()).isEqualTo(3);
    }
    try (var data = java.nio.file.Files.list(volume().resolve("_spill/checkpoints/shared"))) {
      assertThat(data.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("data-")))
          .as("the overwritten versions are gone")
          .hasSize(1);
    }
  }

  @Test
  void purgeRemovesRunsWhoseLeaseExpiredAndTheirOrphanedData() throws Exception {
    VolumeSpiller<DuckDbFrame> crashed = spiller(Mode.DEV);
    crashed.sparkToEngine(spark().range(5).toDF(), ToEngine.lazy());
    crashed.saveCheckpointSpark(spark().range(5).toDF(), "cp");
    Path orphan =
        volume().resolve("_spill/checkpoints/cp/data-" + crashed.runId() + "-0123456789abcdef");
    Files.createDirectories(orphan);
    Files.writeString(orphan.resolve("part-0.parquet"), "half-written");
    Path crashedRun = volume().resolve("_spill/runs").resolve(crashed.runId());
    backdateLease(crashedRun.resolve("_run.json"), Duration.ofHours(2));
    Path lookalike =
        Files.createDirectories(volume().resolve("_spill/runs/20200101T000000000Z-0123abcd"));
    Path killedWrite =
        volume()
            .resolve("_spill/checkpoints/cp/._manifest.json.tmp-" + java.util.UUID.randomUUID());
    Files.writeString(killedWrite, "{ half a manifest");
    Files.setLastModifiedTime(
        killedWrite,
        java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path writeInProgress =
        volume()
            .resolve("_spill/checkpoints/cp/._manifest.json.tmp-" + java.util.UUID.randomUUID());
    Files.writeString(writeInProgress, "{ being written");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      assertThatThrownBy(() -> spill.purgeStaleRuns(Duration.ofMinutes(1)))
          .isInstanceOf(SpillConfigurationException.class);
      PurgeReport report = spill.purgeStaleRuns(Duration.ofHours(1));
      assertThat(report.runs()).singleElement().asString().contains(crashed.runId());
      assertThat(report.orphanedData())
          .hasSize(2)
          .anySatisfy(o -> assertThat(o).contains("0123456789abcdef"))
          .anySatisfy(o -> assertThat(o).endsWith(killedWrite.getFileName().toString()));
      assertThat(killedWrite).doesNotExist();
      assertThat(writeInProgress).exists();
      assertThat(report.problems()).isEmpty();
      assertThat(crashedRun).doesNotExist();
      assertThat(orphan).doesNotExist();
      assertThat(lookalike).isDirectory();
      assertThat(volume().resolve("_spill/runs").resolve(spill.runId())).isDirectory();
      assertThat(spill.loadCheckpointSpark("cp").count()).isEqualTo(5);
    } finally {
      crashed.close(); // in the test's JVM the "crashed" spiller is still there: stop its lease
    }
  }

  /** What five silent minutes and more look like on disk: the lease's heartbeat in the past. */
  static void backdateLease(Path marker, Duration by) throws Exception {
    String json = Files.readString(marker);
    String old = Instant.now().minus(by).toString();
    Files.writeString(
        marker,
        json.replaceAll("\"heartbeatAt\" : \"[^\"]+\"", "\"heartbeatAt\" : \"" + old + "\""));
    assertThat(Files.readString(marker)).contains(old);
  }

  @Test
  void closeWaitsForASaveInFlightAndPRODThenRemovesIt() throws Exception {
    VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD);
    CountDownLatch started = new CountDownLatch(1);
    SAVE_STARTED = started; // Spark serializes the UDF: it reaches the latch through a static
    spark()
        .udf()
        .register(
            "slow_id",
            (UDF1<Long, Long>)
                v -> {
                  SAVE_STARTED.countDown();
                  Thread.sleep(2);
                  return v;
                },
            DataTypes.LongType);
    CompletableFuture<Void> save = new CompletableFuture<>();
    Thread saver =
        new Thread(
            () -> {
              try {
                prod.saveCheckpointSpark(
                    spark().range(0, 1000, 1, 2).selectExpr("slow_id(id) AS id"), "in_flight");
                save.complete(null);
              } catch (Throwable e) {
                save.completeExceptionally(e);
              }
            },
            "saver");
    saver.start();
    assertThat(started.await(60, TimeUnit.SECONDS)).as("the save's job started").isTrue();
    prod.close();
    assertThat(save).isDone();
    save.get(); // the save finished (before teardown) instead of failing half-way
    assertThat(volume()).as("PROD removed the checkpoint the save committed").doesNotExist();
    assertThatThrownBy(() -> prod.saveCheckpointSpark(spark().range(1).toDF(), "late"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void engineChangesTheBuilderInPlace() {
    var builder =
        VolumeSpiller.builder(SparkTestSession.get())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false);
    builder.engine(DuckDbEngine.create());
    try (var spill = builder.build()) {
      assertThat(spill.engine().name()).isEqualTo("duckdb");
    }
  }

  @Test
  void aFailingBuildClosesTheEngineAndLeavesNothingBehind() throws Exception {
    DuckDbFrameEngine engine = DuckDbEngine.create();
    var badOption =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(engine)
            .store(volume().toString())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false)
            .option("duckdb.threads", "zero");
    assertThatThrownBy(badOption::build)
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("duckdb.threads");
    assertThat(engine.connection().isClosed()).isTrue();
    assertThat(volume()).doesNotExist();
    assertThat(tmp.resolve("local")).doesNotExist();

    Files.writeString(tmp.resolve("a-file"), "not a folder");
    DuckDbFrameEngine second = DuckDbEngine.create();
    var fileAsStore =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(second)
            .store(tmp.resolve("a-file").toString())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false);
    assertThatThrownBy(fileAsStore::build)
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("is not a folder");
    assertThat(second.connection().isClosed()).isTrue();
    assertThat(tmp.resolve("local"))
        .as("the local folder this build created is gone")
        .doesNotExist();
    assertThat(tmp.resolve("a-file")).hasContent("not a folder");
  }

  @Test
  void aVolumeNameRefusedAtBuildClosesTheEngine() throws Exception {
    DuckDbFrameEngine engine = DuckDbEngine.create();
    VolumeSpillerBuilder<DuckDbFrame> typed =
        VolumeSpiller.builder(SparkTestSession.get(), engine)
            .volume("main", "bad schema", "v")
            .localDir(tmp.resolve("local"))
            .shutdownHook(false);
    assertThatThrownBy(typed::build)
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("invalid schema name 'bad schema'");
    assertThat(engine.connection().isClosed()).isTrue();
    assertThat(tmp.resolve("local")).doesNotExist();
  }

  @Test
  void optionsAreValidatedAgainstTheStoreAndEngine() {
    var builder =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false);
    assertThatThrownBy(() -> builder.option("duckdb.memory-limt", "1GB").build())
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("unknown option 'duckdb.memory-limt'")
        .hasMessageContaining("duckdb.memory-limit");
    var other =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false);
    assertThatThrownBy(() -> other.option("s3.region", "eu-west-1").build())
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("'s3.region' is not used by the store");
  }

  @Test
  void missingModulesAndEnginesAreNamed() {
    assertThatThrownBy(VolumeSpiller.builder(SparkTestSession.get())::build)
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("DuckDbEngine.create()");
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(SparkTestSession.get())
                    .engine(DuckDbEngine.create())
                    .volume("main", "default", "spill_vol")
                    .shutdownHook(false)
                    .build())
        .hasMessageContaining("io.spill:spill-storage-uc");
    assertThatThrownBy(
            () -> VolumeSpiller.builder(SparkTestSession.get()).engine("arrow", Object.class))
        .hasMessageContaining("io.spill:spill-engine-arrow");
  }

  @Test
  void anEngineChosenByNameAndTheDefaultStoreWorkWithCoreAndOneEngineOnly() {
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine("duckdb", DuckDbFrame.class)
            .option("duckdb.threads", "1")
            .localDir(tmp.resolve("local"))
            .shutdownHook(false)
            .build()) {
      assertThat(spill.sparkToEngine(spark().range(7).toDF(), ToEngine.eager()).count())
          .isEqualTo(7);
      assertThat(spill.store(Storage.VOLUME)).isSameAs(spill.store(Storage.LOCAL));
    }
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .store(volume().toUri().toString())
            .localDir(tmp.resolve("local"))
            .shutdownHook(false)
            .build()) {
      assertThat(spill.sparkToEngine(spark().range(3).toDF(), ToEngine.eager()).count())
          .isEqualTo(3);
    }
  }
}
