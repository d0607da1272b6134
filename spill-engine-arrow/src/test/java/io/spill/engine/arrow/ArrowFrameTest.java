package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.FrameEngineProvider;
import io.spill.spi.SpillConfigurationException;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a frame offers and refuses, the batch size option, and the provider. */
class ArrowFrameTest {
  @TempDir Path dir;
  private final ArrowFrameEngine engine = ArrowEngine.create(Map.of("arrow.batch-rows", "40"));

  @AfterEach
  void noMemoryHeld() {
    engine.close();
    assertThat(engine.allocatedBytes()).isZero();
  }

  private List<String> files(long rows) throws Exception {
    Path out = dir.resolve("rows-" + rows);
    SparkTestSession.get().range(0, rows, 1, 2).toDF().write().parquet(out.toUri().toString());
    try (Stream<Path> s = Files.list(out)) {
      return s.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
    }
  }

  private static long sum(ArrowReader reader) throws Exception {
    long sum = 0;
    try (reader) {
      while (reader.loadNextBatch()) {
        BigIntVector id = (BigIntVector) reader.getVectorSchemaRoot().getVector("id");
        assertThat(reader.getVectorSchemaRoot().getRowCount()).isBetween(1, 40);
        for (int i = 0; i < id.getValueCount(); i++) {
          sum += id.get(i);
        }
      }
    }
    return sum;
  }

  @Test
  void eachReaderIsFreshAndBatchesHoldAtMostTheBatchSize() throws Exception {
    List<String> files = files(100);
    for (boolean lazy : new boolean[] {false, true}) {
      try (ArrowFrame frame = engine.read(files, null, lazy)) {
        assertThat(frame.rowCount()).isEqualTo(100);
        assertThat(sum(frame.reader())).isEqualTo(4950);
        assertThat(sum(frame.reader())).as("a second reader reads it all again").isEqualTo(4950);
        if (lazy) {
          assertThatThrownBy(frame::batches)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("reader()");
        } else {
          assertThat(frame.batches()).hasSize(4);
        }
      }
    }
  }

  @Test
  void aClosedFrameRefusesUseAndClosingTwiceIsHarmless() throws Exception {
    ArrowFrame frame = engine.read(files(10), null, false);
    frame.close();
    frame.close();
    assertThatThrownBy(frame::schema)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(frame::reader).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFrameOfAReaderIsLoadedOnceAndThenBehavesEagerly() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      try (ArrowFrame frame = ArrowFrame.of(ArrowSandwichTest.userReader(allocator, 7))) {
        assertThat(frame.rowCount()).isEqualTo(7);
        assertThat(sum(frame.reader())).isEqualTo(21);
        assertThat(sum(frame.reader())).isEqualTo(21);
      }
      try (ArrowFrame frame = ArrowFrame.of(ArrowSandwichTest.userReader(allocator, 7))) {
        engine.write(frame, dir.resolve("streamed").toString(), 1L << 27);
        assertThatThrownBy(frame::rowCount)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("read once");
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void theBatchSizeOptionIsCheckedAndTheProviderIsFound() {
    assertThatThrownBy(() -> ArrowEngine.create(Map.of("arrow.batch-rows", "0")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("arrow.batch-rows");
    assertThatThrownBy(() -> ArrowEngine.create(Map.of("arrow.threads", "2")))
        .hasMessageContaining("unknown option 'arrow.threads'");
    assertThat(
            ServiceLoader.load(FrameEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("arrow")))
        .singleElement()
        .isInstanceOf(ArrowEngineProvider.class);
    try (VolumeSpiller<ArrowFrame> spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine("arrow", ArrowFrame.class)
            .option("arrow.batch-rows", "1000")
            .localDir(dir.resolve("local"))
            .shutdownHook(false)
            .build()) {
      ArrowFrame frame =
          spill.sparkToEngine(SparkTestSession.get().range(2500).toDF(), ToEngine.eager());
      assertThat(frame.batches()).extracting(b -> b.getRowCount()).allMatch(n -> n <= 1000);
      assertThat(frame.rowCount()).isEqualTo(2500);
    }
  }
}
