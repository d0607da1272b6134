package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's memory: blocks closed frames give back are reused, within the limit. */
class RetainingMemoryTest {
  private static final long MIB = 1 << 20;
  @TempDir Path dir;

  private static RootAllocator root(RetainingMemory memory) {
    return new RootAllocator(
        RootAllocator.configBuilder().allocationManagerFactory(memory).build());
  }

  @Test
  void aFreedLargeBlockIsReusedAndASmallOneIsNot() {
    try (RetainingMemory memory = new RetainingMemory(8 * MIB);
        RootAllocator root = root(memory)) {
      long address;
      try (ArrowBuf b = root.buffer(MIB)) {
        address = b.memoryAddress();
      }
      assertThat(memory.retainedBytes()).isEqualTo(MIB);
      try (ArrowBuf b = root.buffer(MIB)) {
        assertThat(b.memoryAddress()).as("the same block, taken from the cache").isEqualTo(address);
        assertThat(memory.retainedBytes()).isZero();
      }
      assertThat(memory.reusedBlocks()).isEqualTo(1);

      root.buffer(1024).close();
      assertThat(memory.retainedBytes()).as("blocks under 64 KiB go straight back").isEqualTo(MIB);
      assertThat(root.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void itKeepsNoMoreThanItsLimitAndFreesDownWhenTheLimitDrops() {
    try (RetainingMemory memory = new RetainingMemory(2 * MIB);
        RootAllocator root = root(memory)) {
      List<ArrowBuf> held = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        held.add(root.buffer(MIB));
      }
      held.forEach(ArrowBuf::close);
      assertThat(memory.retainedBytes()).isEqualTo(2 * MIB);

      memory.setLimit(MIB);
      assertThat(memory.retainedBytes()).isEqualTo(MIB);
      memory.setLimit(0);
      assertThat(memory.retainedBytes()).isZero();
      root.buffer(MIB).close();
      assertThat(memory.retainedBytes()).as("limit 0 keeps nothing").isZero();
    }
  }

  @Test
  void closingFreesTheCacheAndBlocksGivenBackLaterAreFreedAtOnce() {
    RetainingMemory memory = new RetainingMemory(8 * MIB);
    try (RootAllocator root = root(memory)) {
      ArrowBuf late = root.buffer(MIB);
      root.buffer(MIB).close();
      assertThat(memory.retainedBytes()).isEqualTo(MIB);
      memory.close();
      assertThat(memory.retainedBytes()).isZero();
      late.close();
      assertThat(memory.retainedBytes()).isZero();
      memory.close(); // idempotent
    }
  }

  /**
   * Two threads take and give back blocks of the same sizes at once; each writes its own pattern
   * over its whole block and checks it before giving the block back, so a block handed to both
   * threads at once, or a freed block still in use, shows as a changed pattern.
   */
  @Test
  void twoThreadsNeverShareABlock() throws Exception {
    try (RetainingMemory memory = new RetainingMemory(4 * MIB);
        RootAllocator root = root(memory)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CyclicBarrier start = new CyclicBarrier(2);
      List<Future<Long>> runs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        byte mark = (byte) (t + 1);
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  long checked = 0;
                  for (int i = 0; i < 2000; i++) {
                    long size = RetainingMemory.MIN_BLOCK << ThreadLocalRandom.current().nextInt(3);
                    try (ArrowBuf b = root.buffer(size)) {
                      b.setOne(0, size);
                      b.setByte(size / 2, mark);
                      Thread.yield();
                      assertThat(b.getByte(size / 2)).isEqualTo(mark);
                      assertThat(b.getByte(0)).isEqualTo((byte) 0xFF);
                      assertThat(b.getByte(size - 1)).isEqualTo((byte) 0xFF);
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      for (Future<Long> run : runs) {
        assertThat(run.get()).isEqualTo(2000);
      }
      pool.shutdown();
      assertThat(memory.reusedBlocks()).as("blocks came back from the cache").isPositive();
      assertThat(memory.retainedBytes()).isLessThanOrEqualTo(4 * MIB);
      assertThat(root.getAllocatedMemory()).isZero();
    }
  }

  private List<String> files() throws Exception {
    Path out = dir.resolve("rows");
    SparkTestSession.get()
        .range(0, 200_000, 1, 2)
        .selectExpr("id", "CAST(id AS STRING) AS s")
        .write()
        .parquet(out.toUri().toString());
    try (Stream<Path> s = Files.list(out)) {
      return s.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  @SuppressWarnings("try") // closes the engine inside its try on purpose, to check what it frees
  void anEagerReadReusesTheMemoryOfTheFrameClosedBeforeIt() throws Exception {
    List<String> files = files();
    try (ArrowFrameEngine engine = ArrowEngine.create()) {
      try (ArrowFrame f = engine.read(files, null, false)) {
        assertThat(f.rowCount()).isEqualTo(200_000);
      }
      long kept = engine.retainedBytes();
      assertThat(kept).as("what the first frame gave back").isPositive();
      try (ArrowFrame f = engine.read(files, null, false)) {
        assertThat(f.batches().stream().mapToLong(b -> b.getRowCount()).sum()).isEqualTo(200_000);
        assertThat(engine.retainedBytes())
            .as("the second frame took the kept blocks")
            .isLessThan(kept);
      }
      engine.close();
      assertThat(engine.retainedBytes()).isZero();
      assertThat(engine.allocatedBytes()).isZero();
    }
  }

  @Test
  void theLimitIsAnOptionInBytesOrBinaryUnits() throws Exception {
    List<String> files = files();
    for (var e :
        Map.of(
                "0", 0L, "65536", 64L << 10, "64KiB", 64L << 10, "256 MiB", 256 * MIB, "2gib",
                2L << 30)
            .entrySet()) {
      try (ArrowFrameEngine engine =
          ArrowEngine.create(Map.of("arrow.retain-memory", e.getKey()))) {
        engine.read(files, null, false).close();
        assertThat(engine.retainedBytes()).as(e.getKey()).isLessThanOrEqualTo(e.getValue());
        if (e.getValue() >= MIB) {
          assertThat(engine.retainedBytes()).as(e.getKey()).isGreaterThan(MIB);
        }
        if (e.getValue() == 0) {
          assertThat(engine.retainedBytes()).as(e.getKey()).isZero();
        }
      }
    }
    for (String bad : List.of("-1", "lots", "1.5GiB", "12 MB", "99999999999999999999GiB")) {
      assertThatThrownBy(() -> ArrowEngine.create(Map.of("arrow.retain-memory", bad)))
          .as(bad)
          .isInstanceOf(SpillConfigurationException.class)
          .hasMessageContaining("arrow.retain-memory must be a size in bytes")
          .hasMessageContaining("256MiB")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
