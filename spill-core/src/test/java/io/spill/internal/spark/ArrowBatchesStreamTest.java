package io.spill.internal.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Arrow batches reach the reader while Spark still computes later partitions, and closing the
 * stream early stops Spark's job: on a real local Spark, whose executors share this JVM, so a
 * partition can be held back by a latch the test opens.
 */
class ArrowBatchesStreamTest {
  /** The last partition's first row waits for this (or for its task to be killed). */
  private static volatile CountDownLatch lastPartition = new CountDownLatch(1);

  /** Set by the waiting row when Spark killed its task. */
  private static final AtomicBoolean killed = new AtomicBoolean();

  /** Rows a counting UDF saw. */
  private static final AtomicLong computed = new AtomicLong();

  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("spill-core-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @AfterEach
  void release() {
    lastPartition.countDown();
  }

  /** 30,000 ids in three partitions; the row 20,000 (the third partition's first) waits. */
  private static Dataset<Row> thirdPartitionWaits() {
    lastPartition = new CountDownLatch(1);
    killed.set(false);
    return threePartitions(
        id -> {
          if (id == 20_000L) {
            waitForTheTest();
          }
          return id;
        });
  }

  /** 30,000 ids in three partitions, each through {@code onId} (a UDF Spark must not reorder). */
  private static Dataset<Row> threePartitions(UDF1<Long, Long> onId) {
    UserDefinedFunction udf = functions.udf(onId, DataTypes.LongType).asNondeterministic();
    return spark.range(0, 30_000, 1, 3).select(udf.apply(functions.col("id")).as("id"));
  }

  private static void waitForTheTest() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!lastPartition.await(10, TimeUnit.MILLISECONDS)) {
      if (TaskContext.get().isInterrupted()) {
        killed.set(true);
        throw new IllegalStateException("killed");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the test never let the last partition go");
      }
    }
  }

  @Test
  void theReaderHasTheFirstPartitionsBatchWhileSparkStillComputesTheLast() throws IOException {
    ArrowBatches arrow = new ArrowBatches(spark);
    try (ArrowBatches.Stream stream = arrow.open(thirdPartitionWaits(), Long.MAX_VALUE);
        RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(stream.open(), allocator)) {
      assertThat(reader.loadNextBatch()).isTrue();
      assertThat(reader.getVectorSchemaRoot().getRowCount()).isEqualTo(10_000);
      assertThat(stream.rows()).isEqualTo(10_000);
      assertThat(stream.sparkDoneNanos()).isZero(); // the third partition is still waiting
      eventuallyActiveJobs(1);

      lastPartition.countDown();
      long rows = 10_000;
      long previousFirst = 0;
      while (reader.loadNextBatch()) {
        long first = (Long) reader.getVectorSchemaRoot().getVector("id").getObject(0);
        assertThat(first).isGreaterThan(previousFirst); // in the Dataset's order
        previousFirst = first;
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isEqualTo(30_000);
      assertThat(stream.rows()).isEqualTo(30_000);
      assertThat(stream.sparkDoneNanos()).isPositive();
      assertThat(stream.overflowed()).isFalse();
      assertThat(stream.sparkFailure()).isEmpty();
      // local[2]: the executors share this JVM and hand their batches over, not as task results
      assertThat(stream.partitionsHandedOver()).isEqualTo(3);
    }
  }

  @Test
  void anExecutorInTheDriversJvmStopsEncodingOnceTheBatchesPassTheLimit() {
    computed.set(0);
    UserDefinedFunction counted =
        functions
            .udf(
                (UDF1<Long, Long>)
                    id -> {
                      computed.incrementAndGet();
                      return id;
                    },
                DataTypes.LongType)
            .asNondeterministic();
    // one partition of 1,000,000 longs, 100 batches of 80,000 bytes; the limit passes at the second
    Dataset<Row> df =
        spark.range(0, 1_000_000, 1, 1).select(counted.apply(functions.col("id")).as("id"));
    try (ArrowBatches.Stream stream = new ArrowBatches(spark).open(df, 100_000);
        RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(stream.open(), allocator)) {
      assertThatThrownBy(() -> readToTheEnd(reader))
          .hasMessageContaining("the Arrow batches passed the limit of");
      assertThat(stream.overflowed()).isTrue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    eventuallyActiveJobs(0);
    assertThat(computed.get())
        .as("rows Spark computed before it stopped")
        .isPositive()
        .isLessThan(100_000);
  }

  @Test
  void closingTheStreamBeforeItsEndCancelsSparksJobAndKillsItsTasks() throws IOException {
    ArrowBatches arrow = new ArrowBatches(spark);
    ArrowBatches.Stream stream = arrow.open(thirdPartitionWaits(), Long.MAX_VALUE);
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(stream.open(), allocator)) {
      assertThat(reader.loadNextBatch()).isTrue();
      stream.close(); // as after an engine failed: returns once Spark's job has ended
      eventuallyActiveJobs(0);
      assertThatThrownBy(reader::loadNextBatch).hasMessageContaining("the stream is closed");
    }
    assertThat(stream.sparkFailure()).isEmpty(); // a cancel is not Spark failing
    assertThat(stream.overflowed()).isFalse();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!killed.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(killed).as("the waiting task was killed, not left to run").isTrue();
  }

  @Test
  void batchesPastTheLimitFailTheStreamAndStopSpark() {
    ArrowBatches arrow = new ArrowBatches(spark);
    Dataset<Row> df = thirdPartitionWaits();
    lastPartition.countDown();
    try (ArrowBatches.Stream stream = arrow.open(df, 100_000); // 10,000 longs are 80,000 bytes
        RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(stream.open(), allocator)) {
      assertThatThrownBy(() -> readToTheEnd(reader))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("the Arrow batches passed the limit of");
      assertThat(stream.overflowed()).isTrue();
      assertThat(stream.sparkFailure()).isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    eventuallyActiveJobs(0);
  }

  @Test
  void sparksFailureFailsTheStreamAndIsKeptAsSparkThrewIt() {
    ArrowBatches arrow = new ArrowBatches(spark);
    Dataset<Row> df =
        threePartitions(
            id -> {
              if (id == 15_000L) {
                throw new IllegalStateException("boom at " + id);
              }
              return id;
            });
    try (ArrowBatches.Stream stream = arrow.open(df, Long.MAX_VALUE);
        RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(stream.open(), allocator)) {
      assertThatThrownBy(() -> readToTheEnd(reader))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Spark failed to compute the Dataset");
      assertThat(stream.sparkFailure()).get().asString().contains("boom at 15000");
      assertThat(stream.overflowed()).isFalse();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Reads every batch, or until the stream fails. */
  private static void readToTheEnd(ArrowStreamReader reader) throws IOException {
    while (reader.loadNextBatch()) {
      assertThat(reader.getVectorSchemaRoot().getRowCount()).isPositive();
    }
  }

  /**
   * Waits up to 30 s for Spark's status tracker to count {@code jobs} active jobs: it learns of a
   * job's start and end from Spark's listener bus, a moment after the scheduler.
   */
  private static void eventuallyActiveJobs(int jobs) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (spark.sparkContext().statusTracker().getActiveJobIds().length != jobs
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(spark.sparkContext().statusTracker().getActiveJobIds()).hasSize(jobs);
  }
}
