package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.assertSameData;
import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.spi.CheckpointNotFoundException;
import io.spill.spi.InvalidIdentifierException;
import io.spill.spi.SpillException;
import java.nio.file.Files;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointTest extends DevSpillerTest {

  @ParameterizedTest
  @EnumSource(Storage.class)
  void sparkCheckpointsLoadAsSparkAndAsFrame(Storage storage) {
    Dataset<Row> df = io.spill.testkit.SparkSamples.allTypes();
    spill.saveCheckpointSpark(df, "raw_spark_backup", storage);
    assertThat(spill.listCheckpoints(storage)).containsExactly("raw_spark_backup");
    assertSameData(df, spill.loadCheckpointSpark("raw_spark_backup", storage));
    DuckDbFrame frame = spill.loadCheckpointFrame("raw_spark_backup", storage);
    assertThat(frame.count()).isEqualTo(4);
    assertSameData(df, spill.engineToSpark(frame));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void frameCheckpointsLoadAsFrameAndAsSpark(Storage storage) {
    Dataset<Row> df = io.spill.testkit.SparkSamples.allTypes();
    DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.eager());
    spill.saveCheckpointFrame(frame, "step_1_cleaned", storage);
    assertSameData(df, spill.loadCheckpointSpark("step_1_cleaned", storage));
    DuckDbFrame lazy = spill.scanCheckpointFrame("step_1_cleaned", storage);
    assertThat(lazy.isLazy()).isTrue();
    assertSameData(df, spill.engineToSpark(lazy));
  }

  @Test
  void aLazyFrameSinksToACheckpointWithoutLoading() {
    DuckDbFrame lazy =
        spill.sparkToEngine(spark().range(1000).toDF("value"), io.spill.ToEngine.lazy());
    DuckDbFrame q = lazy.sql("SELECT value FROM this WHERE value > 100");
    assertThat(q.isLazy()).isTrue();
    spill.saveCheckpointFrame(q, "processed_lazy");
    assertThat(spill.loadCheckpointSpark("processed_lazy").count()).isEqualTo(899);
  }

  @Test
  void overwritingReplacesTheCheckpointAndEarlierLoadsStayReadable() {
    spill.saveCheckpointSpark(spark().range(3).toDF("id"), "cp");
    Dataset<Row> first = spill.loadCheckpointSpark("cp");
    spill.saveCheckpointSpark(spark().range(5).toDF("id"), "cp");
    assertThat(spill.loadCheckpointSpark("cp").count()).isEqualTo(5);
    assertThat(first.count()).isEqualTo(3);
    assertThat(spill.listCheckpoints()).containsExactly("cp");
  }

  @Test
  void aSaveThatFailsMidwayKeepsThePreviousCheckpointAndListsNothingNew() throws Exception {
    spill.saveCheckpointSpark(spark().range(3).toDF("id"), "cp");
    spark()
        .udf()
        .register(
            "explode_at_500",
            (UDF1<Long, Long>)
                v -> {
                  if (v == 500) {
                    throw new IllegalStateException("boom at 500");
                  }
                  return v;
                },
            DataTypes.LongType);
    Dataset<Row> failing = spark().range(0, 1000, 1, 4).selectExpr("explode_at_500(id) AS id");
    assertThatThrownBy(() -> spill.saveCheckpointSpark(failing, "cp"))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("previous checkpoint of that name, if any, is unchanged");
    assertThatThrownBy(() -> spill.saveCheckpointSpark(failing, "fresh"))
        .isInstanceOf(SpillException.class);
    assertThat(spill.listCheckpoints()).containsExactly("cp");
    assertThat(spill.loadCheckpointSpark("cp").count()).isEqualTo(3);
    try (var left = Files.list(tmp.resolve("volume/_spill/checkpoints/cp"))) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("data-")))
          .hasSize(1);
    }
    DuckDbFrameEngine duck = (DuckDbFrameEngine) spill.engine();
    DuckDbFrame bad = duck.sql("SELECT INTERVAL 1 DAY AS iv");
    assertThatThrownBy(() -> spill.saveCheckpointFrame(bad, "cp"))
        .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
        .hasMessageContaining("INTERVAL")
        .satisfies(
            e ->
                assertThat(e.getSuppressed()[0])
                    .hasMessageContaining(
                        "previous checkpoint of that name, if any, is unchanged"));
    assertThat(spill.loadCheckpointSpark("cp").count()).isEqualTo(3);
  }

  /**
   * A failed job returns while its other tasks are still being killed. Here one task fails at once
   * and the other is inside its first row for another second, then writes it: the save's error must
   * come only after that task ended, so that removing the partial write removes it all.
   */
  @Test
  void aFailedSaveLeavesNothingEvenWhenATaskWritesAfterTheJobFailed() throws Exception {
    Dataset<Row> failing = SpillerFixture.failingWithALateTask();
    assertThatThrownBy(() -> spill.saveCheckpointSpark(failing, "late"))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("boom at 0");
    assertThat(spill.listCheckpoints()).doesNotContain("late");
    Thread.sleep(2000); // had the save not waited, the stalled task would write by now
    assertThat(tmp.resolve("volume/_spill/checkpoints/late"))
        .satisfiesAnyOf(
            dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
  }

  @Test
  void listingShowsOnlyCommittedCheckpointsSorted() throws Exception {
    spill.saveCheckpointSpark(spark().range(1).toDF(), "b");
    spill.saveCheckpointSpark(spark().range(1).toDF(), "a");
    Files.createDirectories(tmp.resolve("volume/_spill/checkpoints/leftover/data-x"));
    Files.writeString(tmp.resolve("volume/_spill/checkpoints/stray.parquet"), "x");
    assertThat(spill.listCheckpoints()).containsExactly("a", "b");
    assertThat(spill.listCheckpoints(Storage.LOCAL)).isEmpty();
  }

  @Test
  void deleteRemovesOnlyTheNamedCheckpoint() {
    spill.saveCheckpointSpark(spark().range(1).toDF(), "temp_cache", Storage.LOCAL);
    spill.saveCheckpointSpark(spark().range(1).toDF(), "keep", Storage.LOCAL);
    assertThat(spill.deleteCheckpoint("temp_cache", Storage.LOCAL)).isTrue();
    assertThat(spill.deleteCheckpoint("temp_cache", Storage.LOCAL)).isFalse();
    assertThat(spill.listCheckpoints(Storage.LOCAL)).containsExactly("keep");
    assertThat(tmp.resolve("local/_spill/checkpoints/temp_cache")).doesNotExist();
  }

  @Test
  void missingAndInvalidNamesAreClearErrors() {
    spill.saveCheckpointSpark(spark().range(1).toDF(), "exists");
    assertThatThrownBy(() -> spill.loadCheckpointSpark("nope"))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageContaining("no checkpoint 'nope' in VOLUME")
        .hasMessageContaining("[exists]");
    assertThatThrownBy(() -> spill.loadCheckpointFrame("../../etc", Storage.LOCAL))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> spill.saveCheckpointSpark(spark().range(1).toDF(), "a/b"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> spill.deleteCheckpoint(".."))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void aCorruptManifestIsReportedWithTheFix() throws Exception {
    spill.saveCheckpointSpark(spark().range(1).toDF(), "cp");
    Files.writeString(tmp.resolve("volume/_spill/checkpoints/cp/_manifest.json"), "{ not json");
    assertThatThrownBy(() -> spill.loadCheckpointSpark("cp"))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("save the checkpoint again");
  }
}
