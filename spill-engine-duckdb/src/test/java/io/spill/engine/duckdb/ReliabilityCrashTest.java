package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.PurgeReport;
import io.spill.VolumeSpiller;
import io.spill.testkit.ChildJvm;
import io.spill.testkit.ReliabilityReport;
import io.spill.testkit.Soak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a child JVM saves a checkpoint over an existing one again and again (through Spark,
 * and through DuckDB) and is killed with SIGKILL at a random moment. After every kill a new spiller
 * lists the checkpoint once and loads exactly one whole generation in Spark and in DuckDB; at the
 * end, once the killed runs' leases have expired, purge leaves nothing behind.
 */
class ReliabilityCrashTest {
  /** SIGKILLs: a few in the README's test command, 26 in the full tier. */
  private static final int KILLS = Soak.count(2, 26);

  private static final long ROWS = 200_000;
  @TempDir Path tmp;

  private VolumeSpiller<DuckDbFrame> spiller() {
    return SpillerFixture.spiller(tmp.resolve("volume"), tmp.resolve("local"), Mode.DEV);
  }

  @Test
  void killedSavesNeverLeaveAPartialOrMixedCheckpoint() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (VolumeSpiller<DuckDbFrame> spill = spiller()) {
      spill.saveCheckpointSpark(
          SpillerFixture.spark()
              .range(0, ROWS, 1, 4)
              .selectExpr("id", "0L AS generation", "uuid() AS payload"),
          "crash_cp");
    }
    long nextGeneration = 1;
    int midSave = 0;
    int partialLoads = 0;
    List<String> killedRuns = new ArrayList<>();
    TreeSet<Long> loaded = new TreeSet<>();
    int[] killsBy = new int[2];
    for (int kill = 0; kill < KILLS; kill++) {
      String kind = kill % 2 == 0 ? "spark" : "frame";
      killsBy[kill % 2]++;
      try (ChildJvm child =
          new ChildJvm(
              CrashChild.class,
              "1g",
              tmp.toString(),
              kind,
              Long.toString(nextGeneration),
              Long.toString(ROWS))) {
        String run = child.awaitLine("RUN ", 180, TimeUnit.SECONDS);
        assertThat(run).as("child started:%n%s", child.output()).isNotNull();
        killedRuns.add(run.substring(4));
        assertThat(child.awaitLine("SAVING ", 120, TimeUnit.SECONDS)).isNotNull();
        for (int commits = random.nextInt(3); commits > 0; commits--) { // 0, 1 or 2 commits
          assertThat(child.awaitLine("COMMITTED ", 120, TimeUnit.SECONDS)).isNotNull();
        }
        Thread.sleep(random.nextInt(3000));
        child.kill();
        List<String> lines = child.output().lines().toList();
        long saving = lines.stream().filter(l -> l.startsWith("SAVING ")).count();
        long committed = lines.stream().filter(l -> l.startsWith("COMMITTED ")).count();
        midSave += saving > committed ? 1 : 0;
        nextGeneration += saving + 1;
      }
      try (VolumeSpiller<DuckDbFrame> spill = spiller()) {
        assertThat(spill.listCheckpoints()).containsExactly("crash_cp");
        long[] generation = Generations.loaded(spill, "crash_cp", ROWS);
        if (generation[0] < 0 || generation[1] != generation[0]) {
          partialLoads++;
        } else {
          loaded.add(generation[0]);
        }
      }
    }
    assertThat(partialLoads)
        .as("loads that were not one whole generation (seed %d)", seed)
        .isZero();

    // The killed runs go silent: their leases expire (here: their heartbeats are back-dated,
    // which is what five silent minutes look like), and purge removes what they left.
    Path volume = tmp.resolve("volume");
    for (String run : killedRuns) {
      for (Path store : List.of(volume, tmp.resolve("local"))) {
        Path marker = store.resolve("_spill/runs").resolve(run).resolve("_run.json");
        if (Files.exists(marker)) {
          LifecycleTest.backdateLease(marker, Duration.ofMinutes(10));
        }
      }
    }
    // Their scratch folders on the driver stay until their owner files are as old as the cutoff
    // (here: back-dated); the processes named in them are gone.
    int scratchFolders = 0;
    for (String run : killedRuns) {
      Path owner = tmp.resolve("local/_spill/scratch").resolve(run + ".owner");
      if (Files.exists(owner)) {
        Files.setLastModifiedTime(
            owner, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        scratchFolders++;
      }
    }
    assertThat(scratchFolders)
        .as("every killed run left its scratch folder")
        .isEqualTo(killedRuns.size());
    int tempFiles = 0;
    try (Stream<Path> all = Files.walk(volume)) {
      for (Path p : all.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        tempFiles++;
      }
    }
    PurgeReport report;
    try (VolumeSpiller<DuckDbFrame> spill = spiller()) {
      report = spill.purgeStaleRuns(Duration.ofMinutes(5));
      assertThat(report.problems()).isEmpty();
      for (Path store : List.of(volume, tmp.resolve("local"))) {
        try (Stream<Path> runs = Files.list(store.resolve("_spill/runs"))) {
          assertThat(runs.map(p -> p.getFileName().toString()))
              .as("runs left in %s", store)
              .containsExactly(spill.runId());
        }
      }
      try (Stream<Path> scratch = Files.list(tmp.resolve("local/_spill/scratch"))) {
        assertThat(scratch.map(p -> p.getFileName().toString()))
            .as("scratch folders left")
            .containsExactlyInAnyOrder(spill.runId(), spill.runId() + ".owner");
      }
      try (Stream<Path> cp = Files.list(volume.resolve("_spill/checkpoints/crash_cp"))) {
        assertThat(cp.map(p -> p.getFileName().toString()))
            .as("only the manifest and the data it names")
            .hasSize(2)
            .contains("_manifest.json");
      }
      assertThat(spill.loadCheckpointSpark("crash_cp").count()).isEqualTo(ROWS);
    }
    try (Stream<Path> all = Files.walk(volume)) {
      assertThat(all.filter(p -> p.getFileName().toString().contains(".tmp-")))
          .as("temporary files left")
          .isEmpty();
    }
    ReliabilityReport.record(
        "Crash safety",
        String.format(
            """
        `ReliabilityCrashTest`: a child JVM saves checkpoint `crash_cp` (%,d rows, each row
        carrying the save's generation) over an existing one in a loop, and is killed with
        SIGKILL after 0, 1 or 2 commits and a random delay. After each kill a new spiller lists the checkpoint and
        loads it in Spark and in DuckDB.

        | figure | value |
        |---|---:|
        | kills (SIGKILL) | %d |
        | of which during `saveCheckpointSpark` / `saveCheckpointFrame` loops | %d / %d |
        | kills while a save was under way (started, not committed) | %d |
        | loads that were not exactly one whole generation | %d |
        | distinct generations loaded | %d |
        | killed runs' namespaces (volume and local store) and scratch folders removed by purge once their leases expired and their processes were gone | %d |
        | of which scratch folders on the driver | %d |
        | orphaned data folders and temporary files removed by purge | %d |
        | temporary files of killed writes found before purge (none after) | %d |
        | left behind after purge besides the manifest and its data | 0 |
        """,
            ROWS,
            KILLS,
            killsBy[0],
            killsBy[1],
            midSave,
            partialLoads,
            loaded.size(),
            report.runs().size(),
            scratchFolders,
            report.orphanedData().size(),
            tempFiles));
  }
}
