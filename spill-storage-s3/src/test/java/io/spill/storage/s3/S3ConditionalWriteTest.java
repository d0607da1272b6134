package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.CheckpointConflictException;
import io.spill.spi.StoreEntry;
import io.spill.spi.VersionedContent;
import io.spill.testkit.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint commits by compare-and-swap on a real S3 server: two writers of one checkpoint cannot
 * replace each other's commit unseen.
 */
class S3ConditionalWriteTest {
  /** Holds writer A's Spark job until writer B has committed (local mode: one JVM). */
  private static final CountDownLatch B_COMMITTED = new CountDownLatch(1);

  private static final CountDownLatch A_WRITING = new CountDownLatch(1);

  @TempDir Path localA;
  @TempDir Path localB;

  @Test
  void writesHappenOnlyAtTheExpectedVersion() {
    try (S3SpillStore store =
        S3SpillStore.open(
            "s3://" + S3TestServer.get().newBucket() + "/p", S3TestServer.get().settings())) {
      byte[] one = "one".getBytes(StandardCharsets.UTF_8);
      byte[] two = "two".getBytes(StandardCharsets.UTF_8);
      assertThat(store.readVersioned("m.json")).isEmpty();
      assertThat(store.writeIfVersion("m.json", one, null)).isTrue();
      assertThat(store.writeIfVersion("m.json", two, null)).as("it exists now").isFalse();
      VersionedContent v1 = store.readVersioned("m.json").orElseThrow();
      assertThat(v1.content()).isEqualTo(one);
      assertThat(store.writeIfVersion("m.json", two, v1.version())).isTrue();
      assertThat(store.writeIfVersion("m.json", one, v1.version())).as("stale").isFalse();
      assertThat(store.read("m.json")).isEqualTo(two);
      VersionedContent v2 = store.readVersioned("m.json").orElseThrow();
      assertThat(store.deleteFile("m.json")).isTrue();
      assertThat(store.writeIfVersion("m.json", one, v2.version())).as("gone").isFalse();
      assertThat(store.exists("m.json")).isFalse();
    }
  }

  @Test
  void aSaveThatLostTheRaceFailsAndLeavesTheWinnersCheckpoint() throws Exception {
    String location = "s3://" + S3TestServer.get().newBucket() + "/shared";
    var spark = SparkTestSession.get();
    spark
        .udf()
        .register(
            "hold_until_b_committed",
            (UDF1<Long, Long>)
                id -> {
                  if (id == 0) {
                    A_WRITING.countDown();
                    if (!B_COMMITTED.await(60, TimeUnit.SECONDS)) {
                      throw new IllegalStateException("writer B never committed");
                    }
                  }
                  return id;
                },
            DataTypes.LongType);
    Dataset<Row> rowsA = spark.sql("SELECT hold_until_b_committed(id) AS id FROM range(10)");
    Dataset<Row> rowsB = spark.sql("SELECT id FROM range(20)");
    try (VolumeSpiller<DuckDbFrame> a = spiller(location, localA);
        VolumeSpiller<DuckDbFrame> b = spiller(location, localB)) {
      CompletableFuture<Void> saveA =
          CompletableFuture.runAsync(() -> a.saveCheckpointSpark(rowsA, "daily"));
      assertThat(A_WRITING.await(60, TimeUnit.SECONDS)).isTrue();
      b.saveCheckpointSpark(rowsB, "daily");
      B_COMMITTED.countDown();
      assertThatThrownBy(() -> saveA.get(120, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CheckpointConflictException.class)
          .hasMessageContaining("was committed by another writer while this save ran")
          .hasMessageContaining("Save again to replace it");
      assertThat(a.loadCheckpointSpark("daily").count()).as("B's commit stands").isEqualTo(20);
      assertThat(a.store(io.spill.Storage.VOLUME).list("_spill/checkpoints/daily"))
          .extracting(StoreEntry::name)
          .as("A's data and pending marker are gone")
          .filteredOn(n -> !n.equals("_manifest.json"))
          .hasSize(1);
      a.saveCheckpointSpark(spark.sql("SELECT id FROM range(30)"), "daily");
      assertThat(b.loadCheckpointSpark("daily").count())
          .as("a save after the conflict wins")
          .isEqualTo(30);
    }
  }

  private static VolumeSpiller<DuckDbFrame> spiller(String location, Path local) {
    return VolumeSpiller.builder(SparkTestSession.get())
        .engine(DuckDbEngine.create())
        .store(location)
        .options(S3TestServer.get().options())
        .localDir(local)
        .mode(Mode.DEV)
        .shutdownHook(false)
        .build();
  }
}
