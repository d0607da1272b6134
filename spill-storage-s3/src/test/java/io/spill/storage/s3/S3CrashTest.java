package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.ChildJvm;
import io.spill.testkit.Soak;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on S3 are atomic without a rename: a writer killed with SIGKILL at random moments of
 * its saves (through Spark, and through DuckDB and an upload) leaves a checkpoint that loads whole,
 * at one generation, never older than the last commit the writer reported.
 */
class S3CrashTest {
  private static final long ROWS = 20_000;

  /** SIGKILLs: 3 in the README's test command, 6 in the full tier. */
  private static final int KILLS = Soak.count(2, 6);

  @TempDir Path local;

  @Test
  void aKilledSaveLeavesTheLastCommittedCheckpointWhole() throws Exception {
    String location = "s3://" + S3TestServer.get().newBucket() + "/crash";
    Random random = new Random(42);
    long generation = 0;
    long lastCommitted = -1;
    int midSave = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      try (ChildJvm child =
          new ChildJvm(
              S3CrashChild.class,
              "1g",
              S3TestServer.get().endpoint().toString(),
              location,
              Long.toString(generation),
              Long.toString(ROWS))) {
        String committed = child.awaitLine("COMMITTED", 180, TimeUnit.SECONDS);
        assertThat(committed)
            .as("the child committed once; its output:%n%s", child.output())
            .isNotNull();
        lastCommitted = Long.parseLong(committed.substring("COMMITTED ".length()));
        assertThat(child.awaitLine("SAVING", 60, TimeUnit.SECONDS)).isNotNull();
        Thread.sleep(random.nextInt(400)); // somewhere in the next save
        child.kill();
        String[] lines = child.output().split("\n");
        if (lines[lines.length - 1].startsWith("SAVING")) {
          midSave++;
        }
        for (String line : lines) {
          if (line.startsWith("COMMITTED ")) {
            lastCommitted = Math.max(lastCommitted, Long.parseLong(line.substring(10)));
          }
        }
      }
      try (VolumeSpiller<DuckDbFrame> reader =
          VolumeSpiller.builder(SparkTestSession.get())
              .engine(DuckDbEngine.create())
              .store(location)
              .options(S3TestServer.get().options())
              .localDir(local)
              .mode(Mode.DEV)
              .shutdownHook(false)
              .build()) {
        assertThat(reader.listCheckpoints()).containsExactly("crash_cp");
        List<Row> generations =
            reader.loadCheckpointSpark("crash_cp").groupBy("generation").count().collectAsList();
        assertThat(generations).as("one generation, all rows").hasSize(1);
        assertThat(generations.get(0).getLong(1)).isEqualTo(ROWS);
        assertThat(generations.get(0).getLong(0)).isGreaterThanOrEqualTo(lastCommitted);
        try (DuckDbFrame frame = reader.loadCheckpointFrame("crash_cp")) {
          assertThat(frame.count()).isEqualTo(ROWS);
        }
      }
      generation = lastCommitted + 10;
    }
    System.out.println("S3CrashTest: " + midSave + " of " + KILLS + " kills landed mid-save");
    assertThat(midSave).as("kills that landed between SAVING and COMMITTED").isPositive();
  }
}
