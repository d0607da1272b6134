package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.CheckpointCommitUnknownException;
import io.spill.storage.local.LocalSpillStore;
import io.spill.testkit.FaultInjectingStore;
import io.spill.testkit.FaultInjectingStore.Fault;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Arrow engine's side of {@code FailureModesTest}: a save whose manifest write lands and loses
 * its answer, or does not land, or lands while the store goes down for reads, leaves a checkpoint
 * that loads whole, at one generation, in Spark and in Arrow.
 */
class ArrowFailureModesTest {
  private static final long ROWS = 1000;
  private static final Predicate<String> MANIFEST = p -> p.endsWith("/_manifest.json");

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSaveThatFailsMidwayLeavesAWholeCheckpoint(
      boolean cas, @org.junit.jupiter.api.io.TempDir Path tmp) {
    FaultInjectingStore store =
        cas
            ? FaultInjectingStore.withCompareAndSwap(new LocalSpillStore(tmp))
            : FaultInjectingStore.wrapping(new LocalSpillStore(tmp));
    try (VolumeSpiller<ArrowFrame> spill = spiller(store)) {
      spill.saveCheckpointSpark(generation(1), "cp");
      ArrowFrame two = spill.sparkToEngine(generation(2), ToEngine.eager());
      store.failNextWrite(MANIFEST, Fault.FAILED);
      assertThatThrownBy(() -> spill.saveCheckpointFrame(two, "cp"))
          .hasMessageContaining("was not committed");
      assertThat(loaded(spill)).isEqualTo(1);
      store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_LOST);
      spill.saveCheckpointFrame(two, "cp"); // resolved by reading back: committed
      assertThat(loaded(spill)).isEqualTo(2);
      ArrowFrame three = spill.sparkToEngine(generation(3), ToEngine.eager());
      store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_STORE_DOWN);
      assertThatThrownBy(() -> spill.saveCheckpointFrame(three, "cp"))
          .isInstanceOf(CheckpointCommitUnknownException.class);
      store.failReads(p -> false);
    }
    assertThat(store.injected()).isEqualTo(3);
    try (VolumeSpiller<ArrowFrame> spill = spiller(store)) {
      assertThat(loaded(spill)).isEqualTo(3);
    }
  }

  private static VolumeSpiller<ArrowFrame> spiller(FaultInjectingStore store) {
    return VolumeSpiller.builder(SparkTestSession.get(), ArrowEngine.create())
        .store(store)
        .mode(Mode.DEV)
        .shutdownHook(false)
        .build();
  }

  private static org.apache.spark.sql.Dataset<Row> generation(int g) {
    return SparkTestSession.get().range(ROWS).selectExpr("id", g + " AS generation");
  }

  /** The one generation checkpoint cp holds, as Spark and as Arrow load it; -1 if mixed. */
  private static long loaded(VolumeSpiller<ArrowFrame> spill) {
    long spark = SparkSamples.oneGeneration(spill.loadCheckpointSpark("cp"), ROWS);
    Set<Integer> seen = new HashSet<>();
    long rows = 0;
    try (ArrowFrame frame = spill.loadCheckpointFrame("cp")) {
      for (VectorSchemaRoot batch : frame.batches()) {
        IntVector g = (IntVector) batch.getVector("generation");
        for (int i = 0; i < batch.getRowCount(); i++) {
          seen.add(g.get(i));
        }
        rows += batch.getRowCount();
      }
    }
    long arrow = rows == ROWS && seen.size() == 1 ? seen.iterator().next() : -1;
    assertThat(arrow).as("Arrow loads what Spark loads").isEqualTo(spark);
    return spark;
  }
}
