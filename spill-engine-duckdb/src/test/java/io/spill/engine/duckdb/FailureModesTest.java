package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.spi.CheckpointCommitUnknownException;
import io.spill.spi.SpillException;
import io.spill.storage.local.LocalSpillStore;
import io.spill.testkit.FaultInjectingStore;
import io.spill.testkit.FaultInjectingStore.Fault;
import io.spill.testkit.ReliabilityReport;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint saves through Spark and through DuckDB on a store that fails between "applied" and
 * "answered", with and without compare-and-swap: the manifest write lands and its answer is lost,
 * does not land, lands and is reported refused (an SDK retry meeting its own first attempt), lands
 * while the store goes down for reads, or the pending marker cannot be deleted. After each, a new
 * spiller loads the checkpoint whole, at one generation, in Spark and in DuckDB; the save's error
 * (if any) says what happened; and no data a manifest names is ever deleted.
 */
class FailureModesTest {
  private static final long ROWS = 1000;
  private static final Predicate<String> MANIFEST = p -> p.endsWith("/_manifest.json");
  @TempDir Path tmp;

  /** One way to fail, and what the save must do then. */
  private record Scenario(
      String name,
      Fault fault,
      boolean pendingDeleteFails,
      String error,
      long generation,
      boolean casOnly) {}

  private static final List<Scenario> SCENARIOS =
      List.of(
          new Scenario(
              "manifest written, answer lost", Fault.APPLIED_THEN_LOST, false, null, 2, false),
          new Scenario("manifest not written", Fault.FAILED, false, "was not committed", 1, false),
          new Scenario(
              "manifest written, retry refused", Fault.APPLIED_THEN_REFUSED, false, null, 2, true),
          new Scenario(
              "manifest written, store down for reads",
              Fault.APPLIED_THEN_STORE_DOWN,
              false,
              "is unknown",
              2,
              false),
          new Scenario("pending marker cannot be deleted", null, true, null, 2, false));

  @Test
  void everySaveThatFailsMidwayLeavesAWholeCheckpoint() throws Exception {
    List<String> rows = new ArrayList<>();
    int saves = 0;
    int wholeLoads = 0;
    int namedDataDeleted = 0;
    for (Scenario s : SCENARIOS) {
      for (boolean cas : List.of(false, true)) {
        if (s.casOnly() && !cas) {
          continue;
        }
        for (String writer : List.of("spark", "duckdb")) {
          Path root = tmp.resolve(saves + "-" + writer);
          FaultInjectingStore store =
              cas
                  ? FaultInjectingStore.withCompareAndSwap(new LocalSpillStore(root))
                  : FaultInjectingStore.wrapping(new LocalSpillStore(root));
          Throwable error = null;
          try (VolumeSpiller<DuckDbFrame> spill = spiller(store)) {
            spill.saveCheckpointSpark(generation(1), "cp");
            if (s.fault() != null) {
              store.failNextWrite(MANIFEST, s.fault());
            }
            store.failDeletes(p -> s.pendingDeleteFails() && p.contains("/.pending-"));
            try {
              if (writer.equals("spark")) {
                spill.saveCheckpointSpark(generation(2), "cp");
              } else {
                spill.saveCheckpointFrame(
                    spill
                        .engine(DuckDbFrameEngine.class)
                        .sql("SELECT range AS id, 2 AS generation FROM range(" + ROWS + ")"),
                    "cp");
              }
            } catch (SpillException e) {
              error = e;
            }
            store.failReads(p -> false);
            store.failDeletes(p -> false);
          }
          saves++;
          if (s.error() == null) {
            assertThat(error).as("%s, %s, cas %s", s.name(), writer, cas).isNull();
          } else {
            assertThat(error)
                .as("%s, %s, cas %s", s.name(), writer, cas)
                .isNotNull()
                .hasMessageContaining(s.error())
                .hasMessageContaining("'cp'");
          }
          if (s.fault() == Fault.APPLIED_THEN_STORE_DOWN) {
            assertThat(error).isInstanceOf(CheckpointCommitUnknownException.class);
          }
          long[] loaded = load(store);
          java.util.regex.Matcher named =
              java.util.regex.Pattern.compile("\"dataDir\" : \"([^\"]+)\"")
                  .matcher(Files.readString(root.resolve("_spill/checkpoints/cp/_manifest.json")));
          assertThat(named.find()).isTrue();
          if (!Files.isDirectory(root.resolve("_spill/checkpoints/cp").resolve(named.group(1)))) {
            namedDataDeleted++;
          }
          boolean whole = loaded[0] == s.generation() && loaded[1] == s.generation();
          assertThat(whole)
              .as("%s, %s, cas %s: loaded %s", s.name(), writer, cas, List.of(loaded[0], loaded[1]))
              .isTrue();
          wholeLoads += whole ? 1 : 0;
          try (Stream<Path> data = Files.list(root.resolve("_spill/checkpoints/cp"))) {
            List<String> left = data.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(left)
                .as("only the manifest and the data it names are left")
                .hasSize(2)
                .contains("_manifest.json");
          }
          rows.add(
              String.format(
                  "| %s | %s | %s | %s | %d | yes |",
                  s.name(),
                  cas ? "compare-and-swap" : "plain write",
                  writer,
                  error == null ? "committed" : error.getClass().getSimpleName(),
                  loaded[0]));
        }
      }
    }
    assertThat(namedDataDeleted).isZero();
    ReliabilityReport.record(
        "Failures between applied and answered",
        String.format(
            """
        `FailureModesTest`: checkpoint saves through Spark and through DuckDB on a store that
        fails as real stores do between applying a write and answering it, with and without
        compare-and-swap (`FaultInjectingStore` of `spill-testkit` over a local folder). A save
        whose manifest write fails is resolved by reading the manifest back: the store holds
        what was sent (committed), or the previous version (not committed; the data goes at
        teardown), or it cannot be read (`CheckpointCommitUnknownException`, nothing deleted).
        After each, a new spiller loads the checkpoint in Spark and in DuckDB.

        | figure | value |
        |---|---:|
        | saves with a fault | %d |
        | loads that were whole, at the generation the outcome says, in Spark and DuckDB | %d |
        | data folders a manifest names that were deleted | %d |
        | checkpoints left with anything but the manifest and the data it names | 0 |

        | fault | store | writer | the save | generation loaded | whole |
        |---|---|---|---|---:|---|
        %s

        Leases that could not be renewed for longer than the lease allows, and commits once
        teardown has begun, are refused (`LeaseExpiredException`, `IllegalStateException`);
        `CommitOutcomeTest` in `spill-core` shows it on an injectable clock.
        """,
            saves, wholeLoads, namedDataDeleted, String.join("\n", rows)));
  }

  private static VolumeSpiller<DuckDbFrame> spiller(FaultInjectingStore store) {
    return VolumeSpiller.builder(SparkTestSession.get(), DuckDbEngine.create())
        .store(store)
        .mode(Mode.DEV)
        .option("duckdb.threads", "1")
        .shutdownHook(false)
        .build();
  }

  private static org.apache.spark.sql.Dataset<Row> generation(int g) {
    return SparkTestSession.get().range(ROWS).selectExpr("id", g + " AS generation");
  }

  /** The one generation checkpoint cp holds, as Spark and as DuckDB load it; -1 if mixed. */
  private static long[] load(FaultInjectingStore store) throws Exception {
    try (VolumeSpiller<DuckDbFrame> spill = spiller(store)) {
      assertThat(spill.listCheckpoints()).containsExactly("cp");
      return Generations.loaded(spill, "cp", ROWS);
    }
  }
}
