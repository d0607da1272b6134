package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.FrameEngine;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link FrameEngine} must show, checked against files a real local Spark
 * writes and reads. An adapter's test extends this class and returns a new engine.
 *
 * @param <F> the engine's frame type
 */
public abstract class FrameEngineContract<F> {
  protected FrameEngine<F> engine;
  @TempDir protected Path dir;

  /** A new engine, closed after each test. */
  protected abstract FrameEngine<F> newEngine();

  @BeforeEach
  void openEngine() {
    engine = newEngine();
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  /** Spark writes {@code df} under {@code dir/name} and returns its Parquet data files. */
  protected List<String> sparkParquet(Dataset<Row> df, String name) throws Exception {
    Path out = dir.resolve(name);
    df.write().parquet("file://" + out);
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .forEach(p -> files.add(p.toString()));
    }
    return files;
  }

  private Dataset<Row> readBack(String directory, WriteResult written) {
    String[] paths = written.files().stream()
        .map(f -> "file://" + directory + "/" + f).toArray(String[]::new);
    return SparkTestSession.get().read().parquet(paths);
  }

  @Test
  void eagerAndLazyReadsWriteBackTheSameRows() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.sql("SELECT id, CAST(id AS STRING) AS s FROM range(100)");
    List<String> files = sparkParquet(df, "in");
    for (boolean lazy : new boolean[] {false, true}) {
      F frame = engine.read(files, lazy);
      String out = dir.resolve("out-" + lazy).toString();
      WriteResult written = engine.write(frame, out, 1L << 27);
      assertThat(written.rows()).isEqualTo(100);
      assertThat(written.columns()).extracting(c -> c.name()).containsExactly("id", "s");
      Dataset<Row> back = readBack(out, written);
      assertThat(back.except(df).count()).isZero();
      assertThat(df.except(back).count()).isZero();
      engine.release(frame);
    }
  }

  @Test
  void anEmptyFrameKeepsItsColumns() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> empty = spark.sql("SELECT id, 'x' AS s FROM range(0)");
    F frame = engine.read(sparkParquet(empty, "empty"), false);
    String out = dir.resolve("out").toString();
    WriteResult written = engine.write(frame, out, 1L << 27);
    assertThat(written.rows()).isZero();
    assertThat(written.files()).isNotEmpty();
    assertThat(readBack(out, written).columns()).containsExactly("id", "s");
  }

  @Test
  void releaseIsIdempotent() throws Exception {
    F frame = engine.read(sparkParquet(SparkTestSession.get().range(3).toDF(), "r"), false);
    engine.release(frame);
    engine.release(frame);
    assertThat(engine.name()).isNotBlank();
  }

  @Test
  void normalizingAFrameWithoutTimestampsChangesNothing() throws Exception {
    F frame = engine.read(sparkParquet(SparkTestSession.get().range(3).toDF(), "n"), false);
    assertThat(engine.timestampNormalizer().normalize(frame, TimestampPolicy.FAIL_ON_PRECISION_LOSS))
        .isSameAs(frame);
  }

  @Test
  void frameTypeMatchesWhatReadReturns() throws Exception {
    F frame = engine.read(sparkParquet(SparkTestSession.get().range(1).toDF(), "t"), true);
    assertThat(engine.frameType()).isInstanceOf(Class.class);
    assertThat(engine.frameType().isInstance(frame)).isTrue();
  }
}
