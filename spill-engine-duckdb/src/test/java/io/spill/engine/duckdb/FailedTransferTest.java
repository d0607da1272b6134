package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.ToEngine;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transfer that fails leaves none of its files behind, at once: not only at teardown. Each test
 * first makes a lazy frame (whose files must stay) and plants a file spill did not write beside the
 * run's frames (which must stay too); afterwards exactly those are there.
 */
class FailedTransferTest extends DevSpillerTest {

  /** The engine refuses what Spark wrote (an INT96 day DuckDB would misread): the files go. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aRefusedReadLeavesNoFilesBehind(boolean lazy) throws Exception {
    List<Path> before = plantFrames();
    Dataset<Row> df = spark().sql("SELECT TIMESTAMP'-5000-01-01 00:00:00Z' AS ts");
    assertThatThrownBy(() -> spill.sparkToEngine(df, lazy ? ToEngine.lazy() : ToEngine.eager()))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("INT96 column 'ts'");
    assertThat(frameEntries()).containsExactlyInAnyOrderElementsOf(before);
  }

  /**
   * The Spark write fails while another task is still inside its first row; that task writes after
   * the job failed. The error comes once it ended, and its files go too.
   */
  @Test
  void aFailedSparkWriteLeavesNoFilesBehindEvenFromALateTask() throws Exception {
    List<Path> before = plantFrames();
    Dataset<Row> failing = SpillerFixture.failingWithALateTask();
    assertThatThrownBy(() -> spill.sparkToEngine(failing, ToEngine.eager()))
        .hasMessageContaining("boom at 0");
    Thread.sleep(2000); // had the transfer not waited, the stalled task would write by now
    assertThat(frameEntries()).containsExactlyInAnyOrderElementsOf(before);
  }

  /** A lazy frame and a file spill did not write, in the run's frames folder; what is there. */
  private List<Path> plantFrames() throws IOException {
    spill.sparkToEngine(spark().range(1).toDF("id"), ToEngine.lazy());
    List<Path> frames = new ArrayList<>();
    try (Stream<Path> all = Files.walk(tmp.resolve("volume/_spill/runs"))) {
      all.filter(p -> p.getFileName().toString().equals("frames")).forEach(frames::add);
    }
    assertThat(frames).hasSize(1);
    Files.writeString(frames.get(0).resolve("teammate-notes.txt"), "not spill's");
    List<Path> entries = frameEntries();
    assertThat(entries).hasSize(2);
    return entries;
  }

  /** The direct children of the run's frames folders, in both stores. */
  private List<Path> frameEntries() throws IOException {
    List<Path> entries = new ArrayList<>();
    for (Path store : List.of(tmp.resolve("volume"), tmp.resolve("local"))) {
      Path runs = store.resolve("_spill/runs");
      if (!Files.isDirectory(runs)) {
        continue;
      }
      try (Stream<Path> all = Files.walk(runs)) {
        all.filter(p -> p.getParent().getFileName().toString().equals("frames"))
            .forEach(entries::add);
      }
    }
    return entries;
  }
}
