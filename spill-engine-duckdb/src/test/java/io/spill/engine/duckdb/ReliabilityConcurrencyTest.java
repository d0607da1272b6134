package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.testkit.ChildJvm;
import io.spill.testkit.ReliabilityReport;
import io.spill.testkit.Soak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency: spillers in threads (4, or 8 in the full tier) and in separate JVMs (2, or 4) share
 * one store root, PROD and DEV mixed. Each spills, brings back and checkpoints (own names and one
 * shared name), waits until all are live, and tears down in a random order: no exception, no lost
 * or mixed rows, no run's live Dataset or lazy frame broken by another's teardown, and foreign
 * files untouched.
 */
class ReliabilityConcurrencyTest {
  /** Spillers in threads of this JVM: 4 in the README's test command, 8 in the full tier. */
  private static final int THREADS = Soak.count(4, 8);

  /** Spillers in child JVMs: 2 in the README's test command, 4 in the full tier. */
  private static final int JVMS = Soak.count(2, 4);

  @TempDir Path tmp;

  private static Mode mode(int id) {
    return id % 2 == 0 ? Mode.PROD : Mode.DEV;
  }

  @Test
  void spillersInThreadsAndJvmsOnOneRootNeverBreakEachOther() throws Exception {
    Map<String, String> foreign = SharedStoreTest.plantForeignFiles(tmp.resolve("volume"));
    Path barrier = tmp.resolve("barrier");
    int participants = THREADS + JVMS;
    long start = System.nanoTime();
    List<ChildJvm> children = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<String> results = new ArrayList<>();
    try {
      for (int i = 0; i < JVMS; i++) {
        int id = THREADS + i;
        children.add(
            new ChildJvm(
                ConcurrencyChild.class,
                "768m",
                tmp.toString(),
                Integer.toString(id),
                mode(id).name(),
                barrier.toString(),
                Integer.toString(participants)));
      }
      List<Future<String>> threads = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int id = i;
        threads.add(
            pool.submit(() -> ConcurrencyWorker.run(tmp, id, mode(id), barrier, participants)));
      }
      for (Future<String> f : threads) {
        results.add(f.get(10, TimeUnit.MINUTES));
      }
      for (ChildJvm child : children) {
        assertThat(child.awaitExit(10, TimeUnit.MINUTES)).as(child.output()).isTrue();
        String result =
            child
                .output()
                .lines()
                .filter(l -> l.startsWith("RESULT "))
                .findFirst()
                .orElse("RESULT none:\n" + child.output());
        assertThat(result).as(child.output()).startsWith("RESULT OK");
        results.add(result.substring("RESULT OK ".length()));
      }
    } finally {
      pool.shutdownNow();
      for (ChildJvm child : children) {
        child.close();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    Path volume = tmp.resolve("volume");
    SharedStoreTest.assertForeignFilesIntact(volume, foreign);
    try (Stream<Path> runs = Files.list(volume.resolve("_spill/runs"))) {
      assertThat(runs.map(p -> p.getFileName().toString()))
          .as("run namespaces left")
          .containsExactlyInAnyOrderElementsOf(
              foreign.keySet().stream()
                  .filter(k -> k.startsWith("_spill/runs/"))
                  .map(k -> k.split("/")[2])
                  .distinct()
                  .toList());
    }
    Map<String, Integer> dataDirs = new TreeMap<>();
    try (Stream<Path> cps = Files.list(volume.resolve("_spill/checkpoints"))) {
      for (Path cp : cps.toList()) {
        try (Stream<Path> data = Files.list(cp)) {
          dataDirs.put(
              cp.getFileName().toString(),
              (int)
                  data.filter(p -> p.getFileName().toString().startsWith("data-" + "20")).count());
        }
      }
    }
    try (VolumeSpiller<DuckDbFrame> after =
        SpillerFixture.spiller(volume, tmp.resolve("local"), Mode.DEV)) {
      List<String> listed = after.listCheckpoints();
      for (int id = 0; id < participants; id++) {
        if (mode(id) == Mode.DEV) {
          assertThat(listed).contains("own_" + id);
          assertThat(after.loadCheckpointSpark("own_" + id).count())
              .isEqualTo(ConcurrencyWorker.ROWS);
        } else {
          assertThat(listed).doesNotContain("own_" + id);
        }
      }
      if (listed.contains("shared")) {
        assertThat(after.loadCheckpointSpark("shared").select("worker").distinct().count())
            .isEqualTo(1);
      }
      for (String name : listed) {
        assertThat(dataDirs.get(name)).as("data folders of %s", name).isEqualTo(1);
      }
    }
    ReliabilityReport.record(
        "Concurrency",
        String.format(
            """
        `ReliabilityConcurrencyTest`: %d spillers in threads of one JVM and %d in separate JVMs
        share one store root (and one local folder), PROD and DEV alternating. Each spills its
        own %,d rows to DuckDB eagerly and lazily, brings both back, saves its own checkpoints
        (VOLUME and LOCAL) and the shared checkpoint `shared`, loads them, waits until all
        participants are live, then re-reads its Datasets and lazy frames after a random pause
        and tears down, so teardowns interleave with other runs' reads.

        | figure | value |
        |---|---:|
        | participants (threads + JVMs) | %d + %d |
        | exceptions, lost rows or mixed rows | 0 |
        | live Datasets or lazy frames broken by another run | 0 |
        | run namespaces left after all teardowns | 0 |
        | checkpoints left with more than the one data folder their manifest names | 0 |
        | foreign files planted at the root, in `_spill/` and `_spill/checkpoints/`, changed | 0 of %d |
        | wall time on this machine | %.0f s |

        What each participant saw as the shared checkpoint (last writer wins):

        %s
        """,
            THREADS,
            JVMS,
            ConcurrencyWorker.ROWS,
            THREADS,
            JVMS,
            foreign.size(),
            seconds,
            String.join("\n", results.stream().map(r -> "- " + r).toList())));
  }
}
