package io.spill.engine.arrow;

import static io.spill.testkit.SparkSamples.allTypes;
import static io.spill.testkit.SparkSamples.assertSameData;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.testkit.FarTimestamps;
import io.spill.testkit.Nullability;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The round-trip matrix the DuckDB engine passes, on the Arrow engine: every Spark type through the
 * sandwich eager and lazy, an empty Dataset, checkpoints from both sides on both storages, and a
 * reader the user made; on a real local Spark and a local store. After each test the spiller is
 * closed and the engine holds no Arrow memory.
 */
class ArrowSandwichTest {
  @TempDir Path tmp;
  private ArrowFrameEngine engine;
  private VolumeSpiller<ArrowFrame> spill;

  @BeforeEach
  void open() {
    engine = ArrowEngine.create();
    spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(engine)
            .store(tmp.resolve("volume").toUri().toString())
            .localDir(tmp.resolve("local"))
            .option("arrow.batch-rows", "3")
            .mode(Mode.DEV)
            .shutdownHook(false)
            .build();
  }

  @AfterEach
  void noArrowMemoryIsLeftAfterClose() {
    spill.close();
    assertThat(engine.allocatedBytes()).isZero();
  }

  /**
   * Types the Arrow engine cannot carry back as they were ({@code VARIANT} would return as a struct
   * of binaries, {@code VOID} as a boolean) are refused, naming the column and the fix, eager, lazy
   * and from a checkpoint, and the refused read leaves no Arrow memory behind.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "parse_json('{\"a\": 1}') AS c|column 'c' has Spark type VARIANT|to_json(col)",
        "NULL AS c|column 'c' has Spark type VOID|CAST(NULL AS STRING)",
        "array() AS c|column 'c' (at c[]) has Spark type VOID|CAST(NULL AS STRING)",
        "named_struct('v', parse_json('1')) AS c|column 'c' (at c.v) has Spark type VARIANT|to_json"
      })
  void typesItCannotCarryBackAreRefusedEverywhere(String spec) {
    String[] p = spec.split("\\|");
    Dataset<Row> df = SparkTestSession.get().sql("SELECT 1 AS id, " + p[0]);
    for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> spill.sparkToEngine(df, how))
          .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
          .hasMessageContaining(p[1])
          .hasMessageContaining(p[2]);
    }
    spill.saveCheckpointSpark(df, "uncarriable");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> spill.loadCheckpointFrame("uncarriable"))
        .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
        .hasMessageContaining(p[1]);
    assertThat(engine.allocatedBytes()).isZero();
  }

  /**
   * Far timestamps, zoned and local, top level and nested, in INT96, TIMESTAMP_MICROS and
   * TIMESTAMP_MILLIS sessions: eager, lazy and through checkpoints from both sides, equal to
   * Spark's own reading; and a timestamp before 4713 BC, which Spark writes as an INT96 with a
   * negative Julian day.
   */
  @Test
  void farTimestampsStayExactWhateverTheSessionWrites() {
    FarTimestamps.check(spill, tmp.resolve("spark"));
    Dataset<Row> df = SparkTestSession.get().sql("SELECT TIMESTAMP'-5000-01-01 00:00:00Z' AS ts");
    for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
      assertSameData(df, spill.engineToSpark(spill.sparkToEngine(df, how)));
    }
  }

  /**
   * A time of day goes back to Spark only when the session reads TIME: with {@code
   * spark.sql.timeType.enabled} off, it is refused naming the column and the path inside it,
   * instead of becoming files Spark cannot read.
   */
  @Test
  void aTimeOfDayGoesToSparkOnlyWhenTheSessionReadsIt() {
    org.apache.spark.sql.SparkSession spark = SparkTestSession.get();
    spark.conf().set("spark.sql.timeType.enabled", "true");
    try {
      Dataset<Row> df = spark.sql("SELECT TIME'12:34:56.123456' AS t, array(TIME'00:00:01') AS a");
      ArrowFrame frame = spill.sparkToEngine(df, ToEngine.eager());
      ArrowFrame nested = spill.sparkToEngine(df.select("a"), ToEngine.eager());
      assertSameData(df, spill.engineToSpark(frame));
      spark.conf().set("spark.sql.timeType.enabled", "false");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> spill.engineToSpark(frame))
          .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
          .hasMessageContaining("column 't' is a time of day")
          .hasMessageContaining("spark.sql.timeType.enabled");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> spill.engineToSpark(nested))
          .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
          .hasMessageContaining("column 'a' (at a[]) is a time of day");
    } finally {
      spark.conf().unset("spark.sql.timeType.enabled");
    }
  }

  /** NOT NULL comes back as Spark's own Parquet round trip gives it: nullable, at every depth. */
  @Test
  void nullabilityIsWhatSparksOwnParquetRoundTripGives() {
    Nullability.check(spill, tmp.resolve("own"));
  }

  @ParameterizedTest(name = "lazy={0}")
  @ValueSource(booleans = {false, true})
  void everySparkTypeSurvivesTheSandwich(boolean lazy) {
    Dataset<Row> df = allTypes();
    ArrowFrame frame = spill.sparkToEngine(df, lazy ? ToEngine.lazy() : ToEngine.eager());
    assertThat(frame.isLazy()).isEqualTo(lazy);
    assertThat(frame.rowCount()).isEqualTo(4);
    assertThat(frame.schema().getFields()).extracting(Field::getName).contains("column with space");
    if (!lazy) {
      assertThat(frame.batches())
          .as("batches of at most arrow.batch-rows rows")
          .allSatisfy(b -> assertThat(b.getRowCount()).isLessThanOrEqualTo(3));
    }
    assertSameData(df, spill.engineToSpark(frame));
  }

  @ParameterizedTest(name = "lazy={0}")
  @ValueSource(booleans = {false, true})
  void anEmptyDatasetKeepsItsSchema(boolean lazy) {
    Dataset<Row> empty = allTypes().limit(0);
    ArrowFrame frame = spill.sparkToEngine(empty, lazy ? ToEngine.lazy() : ToEngine.eager());
    assertThat(frame.rowCount()).isZero();
    assertSameData(empty, spill.engineToSpark(frame, true));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void checkpointsRoundTripFromBothSides(Storage storage) {
    Dataset<Row> df = allTypes();
    spill.saveCheckpointSpark(df, "from_spark", storage);
    ArrowFrame eager = spill.loadCheckpointFrame("from_spark", storage);
    ArrowFrame lazy = spill.scanCheckpointFrame("from_spark", storage);
    assertThat(lazy.isLazy()).isTrue();
    assertSameData(df, spill.engineToSpark(eager));
    assertSameData(df, spill.engineToSpark(lazy));
    spill.saveCheckpointFrame(eager, "from_arrow", storage);
    assertSameData(df, spill.loadCheckpointSpark("from_arrow", storage));
    assertThat(spill.loadCheckpointFrame("from_arrow", storage).rowCount()).isEqualTo(4);
  }

  @Test
  void aReaderTheUserMadeGoesToSparkAndIntoACheckpoint() {
    try (RootAllocator allocator = new RootAllocator()) {
      spill.engineToSpark(ArrowFrame.of(userReader(allocator, 5)), true);
      Dataset<Row> back;
      try (ArrowFrame frame = ArrowFrame.of(userReader(allocator, 5))) {
        back = spill.engineToSpark(frame);
      }
      assertThat(back.schema().simpleString()).isEqualTo("struct<id:bigint,name:string>");
      assertThat(back.orderBy("id").collectAsList())
          .extracting(Row::toString)
          .containsExactly("[0,n0]", "[1,n1]", "[2,n2]", "[3,n3]", "[4,n4]");
      ArrowFrame frame = ArrowFrame.of(userReader(allocator, 5));
      spill.saveCheckpointFrame(frame, "from_reader");
      frame.close();
      assertThat(spill.loadCheckpointSpark("from_reader").count()).isEqualTo(5);
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  /** A user's reader: one batch of {@code n} rows, {@code id} and {@code name}. */
  static ArrowReader userReader(RootAllocator allocator, int n) {
    Schema schema =
        new Schema(
            List.of(
                new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    for (int i = 0; i < n; i++) {
      ((BigIntVector) root.getVector("id")).setSafe(i, i);
      ((VarCharVector) root.getVector("name")).setSafe(i, ("n" + i).getBytes());
    }
    root.setRowCount(n);
    return new BatchesReader(allocator, schema, List.of(root), true);
  }

  /**
   * An IPC stream with a dictionary-encoded string column (ids in memory, values in the reader's
   * dictionary), over two batches with nulls: its values reach Spark, not its ids, whether a write
   * streams the reader or its batches were loaded first; and the user's allocator is left empty.
   */
  @ParameterizedTest(name = "loaded first={0}")
  @ValueSource(booleans = {false, true})
  void dictionaryEncodedColumnsOfAUsersReaderReachSparkAsTheirValues(boolean loadFirst)
      throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      byte[] stream = dictionaryStream(allocator);
      ArrowFrame frame =
          ArrowFrame.of(
              new org.apache.arrow.vector.ipc.ArrowStreamReader(
                  new java.io.ByteArrayInputStream(stream), allocator));
      assertThat(frame.schema().findField("city").getType()).isEqualTo(ArrowType.Utf8.INSTANCE);
      assertThat(frame.schema().findField("city").getDictionary()).isNull();
      if (loadFirst) {
        assertThat(frame.rowCount()).isEqualTo(5);
      }
      Dataset<Row> back = spill.engineToSpark(frame, true);
      assertThat(back.schema().apply("city").dataType())
          .isEqualTo(org.apache.spark.sql.types.DataTypes.StringType);
      assertSameData(
          SparkTestSession.get()
              .sql(
                  "SELECT * FROM VALUES (1L, 'Oslo'), (2L, NULL), (3L, 'Lima'), (4L, 'Lima'),"
                      + " (5L, 'Oslo') AS t(id, city)"),
          back);
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  /** Two batches of (id, city), city encoded with dictionary 0: ["Lima", "Oslo"]. */
  private static byte[] dictionaryStream(RootAllocator allocator) throws Exception {
    var encoding = new org.apache.arrow.vector.types.pojo.DictionaryEncoding(0, false, null);
    try (VarCharVector values = new VarCharVector("dict", allocator)) {
      values.allocateNew();
      values.setSafe(0, "Lima".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      values.setSafe(1, "Oslo".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      values.setValueCount(2);
      var dictionary = new org.apache.arrow.vector.dictionary.Dictionary(values, encoding);
      var provider =
          new org.apache.arrow.vector.dictionary.DictionaryProvider.MapDictionaryProvider();
      provider.put(dictionary);
      Field id = new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null);
      Field city =
          new Field("city", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
      var out = new java.io.ByteArrayOutputStream();
      try (VectorSchemaRoot root =
              VectorSchemaRoot.create(new Schema(List.of(id, city)), allocator);
          var writer = new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, provider, out)) {
        writer.start();
        int[][] batches = {{1, 1, 2, -1}, {3, 0, 4, 0, 5, 1}}; // (id, city id) pairs; -1: null
        for (int[] batch : batches) {
          BigIntVector ids = (BigIntVector) root.getVector("id");
          org.apache.arrow.vector.IntVector cities =
              (org.apache.arrow.vector.IntVector) root.getVector("city");
          ids.allocateNew();
          cities.allocateNew();
          int rows = batch.length / 2;
          for (int r = 0; r < rows; r++) {
            ids.set(r, batch[2 * r]);
            if (batch[2 * r + 1] < 0) {
              cities.setNull(r);
            } else {
              cities.set(r, batch[2 * r + 1]);
            }
          }
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
      return out.toByteArray();
    }
  }
}
