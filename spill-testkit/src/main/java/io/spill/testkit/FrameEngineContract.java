package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.internal.spark.SparkSchemas;
import io.spill.spi.FrameEngine;
import io.spill.spi.PrecisionLossException;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.UnsupportedColumnTypeException;
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
  /** The engine under test, new for each test. */
  protected FrameEngine<F> engine;

  /** A fresh folder for each test. */
  @TempDir protected Path dir;

  /**
   * A new engine, closed after each test.
   *
   * @return the engine
   */
  protected abstract FrameEngine<F> newEngine();

  /**
   * A frame of {@link #engine} with one row: a local (zone-less) timestamp column {@code ts}
   * holding 2024-01-01 00:00:00.000000999, and a struct column {@code s} whose field {@code t}
   * holds the same value, both at nanosecond precision.
   *
   * @return the frame
   */
  protected abstract F frameWithNanosecondTimestamps();

  /**
   * A frame of {@link #engine} with a column {@code bad} of a type Spark cannot read.
   *
   * @return the frame
   */
  protected abstract F frameWithATypeSparkLacks();

  @BeforeEach
  void openEngine() {
    engine = newEngine();
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  /**
   * Spark writes {@code df} under {@code dir/name} and returns its Parquet data files.
   *
   * @param df the Dataset
   * @param name the folder's name
   * @return the files Spark wrote
   * @throws Exception if Spark fails
   */
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
    String[] paths =
        written.files().stream().map(f -> "file://" + directory + "/" + f).toArray(String[]::new);
    return SparkTestSession.get().read().parquet(paths);
  }

  @Test
  void eagerAndLazyReadsWriteBackTheSameRows() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.sql("SELECT id, CAST(id AS STRING) AS s FROM range(100)");
    List<String> files = sparkParquet(df, "in");
    for (boolean lazy : new boolean[] {false, true}) {
      F frame = engine.read(files, SparkSchemas.of(df.schema()), lazy);
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
    F frame = engine.read(sparkParquet(empty, "empty"), SparkSchemas.of(empty.schema()), false);
    String out = dir.resolve("out").toString();
    WriteResult written = engine.write(frame, out, 1L << 27);
    assertThat(written.rows()).isZero();
    assertThat(written.files()).isNotEmpty();
    assertThat(readBack(out, written).columns()).containsExactly("id", "s");
  }

  @Test
  void releaseIsIdempotentAndTheReleasedFrameIsUnusable() throws Exception {
    Dataset<Row> df = SparkTestSession.get().range(3).toDF();
    F frame = engine.read(sparkParquet(df, "r"), SparkSchemas.of(df.schema()), false);
    engine.release(frame);
    engine.release(frame);
    String out = dir.resolve("released").toString();
    assertThatThrownBy(() -> engine.write(frame, out, 1L << 27))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * Spark writes timestamps as the session says (INT96 by default; spill never changes that): given
   * the Spark schema, the engine reads a {@code TIMESTAMP} as an instant and a {@code
   * TIMESTAMP_NTZ} as a local date-time, also inside structs, arrays and maps, and writes them back
   * so that Spark reads the same values with the same types.
   */
  @Test
  void timestampsReadAsTheSparkSchemaSaysWhateverTheSessionWrites() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df =
        spark.sql(
            "SELECT TIMESTAMP'2024-03-31 01:30:00Z' AS ts,"
                + " TIMESTAMP_NTZ'2024-03-31 02:30:00' AS ntz,"
                + " named_struct('t', TIMESTAMP'1900-01-01 00:00:00Z', 'n', TIMESTAMP_NTZ'1500-06-01 12:00:00') AS s,"
                + " array(TIMESTAMP'2262-04-12 00:00:00Z') AS a,"
                + " map('k', TIMESTAMP'1970-01-01 00:00:00.000001Z') AS m");
    List<String> files = sparkParquet(df, "ts");
    F frame = engine.read(files, SparkSchemas.of(df.schema()), false);
    String out = dir.resolve("ts-out").toString();
    WriteResult written =
        engine.write(
            engine.timestampNormalizer().normalize(frame, TimestampPolicy.FAIL_ON_PRECISION_LOSS),
            out,
            1L << 27);
    Dataset<Row> back = readBack(out, written);
    assertThat(back.schema().catalogString()).isEqualTo(df.schema().catalogString());
    assertThat(back.collectAsList()).isEqualTo(df.collectAsList());
  }

  @Test
  void normalizingAFrameWithoutTimestampsChangesNothing() throws Exception {
    Dataset<Row> df = SparkTestSession.get().range(3).toDF();
    F frame = engine.read(sparkParquet(df, "n"), SparkSchemas.of(df.schema()), false);
    assertThat(
            engine.timestampNormalizer().normalize(frame, TimestampPolicy.FAIL_ON_PRECISION_LOSS))
        .isSameAs(frame);
  }

  /**
   * The normalizer truncates nanoseconds to microseconds, nested too, keeping a local timestamp
   * local; under FAIL_ON_PRECISION_LOSS it refuses, naming the column.
   */
  @Test
  void theNormalizerTruncatesNanosecondsOrRefusesNamingTheColumn() {
    F frame = frameWithNanosecondTimestamps();
    F micros = engine.timestampNormalizer().normalize(frame, TimestampPolicy.TRUNCATE);
    String out = dir.resolve("nanos").toString();
    WriteResult written = engine.write(micros, out, 1L << 27);
    Row row = readBack(out, written).first();
    java.time.LocalDateTime expected = java.time.LocalDateTime.parse("2024-01-01T00:00:00");
    assertThat(row.<java.time.LocalDateTime>getAs("ts")).isEqualTo(expected);
    assertThat(row.getStruct(row.fieldIndex("s")).<java.time.LocalDateTime>getAs("t"))
        .isEqualTo(expected);
    assertThatThrownBy(
            () ->
                engine
                    .timestampNormalizer()
                    .normalize(
                        frameWithNanosecondTimestamps(), TimestampPolicy.FAIL_ON_PRECISION_LOSS))
        .isInstanceOf(PrecisionLossException.class)
        .hasMessageContaining("ts");
  }

  /** A type Spark cannot read is refused before anything is written, naming the column. */
  @Test
  void aTypeSparkLacksIsRefusedNamingTheColumn() {
    String out = dir.resolve("refused").toString();
    assertThatThrownBy(() -> engine.write(frameWithATypeSparkLacks(), out, 1L << 27))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("bad");
    assertThat(dir.resolve("refused")).doesNotExist();
  }

  @Test
  void frameTypeMatchesWhatReadReturns() throws Exception {
    F frame = engine.read(sparkParquet(SparkTestSession.get().range(1).toDF(), "t"), null, true);
    assertThat(engine.frameType().isInstance(frame)).isTrue();
  }
}
