package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.assertSameData;
import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.ToEngine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.jdk.javaapi.CollectionConverters;

/** Spark -> DuckDB -> Spark on a real local Spark, eager and lazy. */
class SparkDuckDbRoundTripTest extends DevSpillerTest {

  static final StructType ALL_TYPES = new StructType()
      .add("bool", DataTypes.BooleanType)
      .add("byte", DataTypes.ByteType)
      .add("short", DataTypes.ShortType)
      .add("int", DataTypes.IntegerType)
      .add("long", DataTypes.LongType)
      .add("float", DataTypes.FloatType)
      .add("double", DataTypes.DoubleType)
      .add("dec", DataTypes.createDecimalType(38, 18))
      .add("str", DataTypes.StringType)
      .add("bin", DataTypes.BinaryType)
      .add("date", DataTypes.DateType)
      .add("ts", DataTypes.TimestampType)
      .add("ts_ntz", DataTypes.TimestampNTZType)
      .add("arr", DataTypes.createArrayType(DataTypes.IntegerType))
      .add("map", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("struct", new StructType().add("a", DataTypes.IntegerType)
          .add("b", DataTypes.StringType).add("t", DataTypes.TimestampType))
      .add("column with space", DataTypes.StringType);

  static Dataset<Row> allTypes() {
    Row low = RowFactory.create(false, Byte.MIN_VALUE, Short.MIN_VALUE, Integer.MIN_VALUE,
        Long.MIN_VALUE, -Float.MAX_VALUE, -Double.MAX_VALUE,
        new BigDecimal("-99999999999999999999.999999999999999999"), "",
        new byte[0], LocalDate.of(1, 1, 1), Instant.parse("0001-01-01T00:00:00.000001Z"),
        LocalDateTime.parse("0001-01-01T00:00:00.000001"), seq(List.of()), map(Map.of()),
        RowFactory.create(0, "", Instant.parse("1970-01-01T00:00:00Z")), "low");
    Row high = RowFactory.create(true, Byte.MAX_VALUE, Short.MAX_VALUE, Integer.MAX_VALUE,
        Long.MAX_VALUE, Float.MAX_VALUE, Double.MAX_VALUE,
        new BigDecimal("99999999999999999999.999999999999999999"),
        "Grüße, 世界 🚀 \u0000 'quote\" \\", "bytes\u0000\u00ff".getBytes(StandardCharsets.UTF_8),
        LocalDate.of(9999, 12, 31), Instant.parse("9999-12-31T23:59:59.999999Z"),
        LocalDateTime.parse("9999-12-31T23:59:59.999999"),
        seq(Arrays.asList(1, null, 3)), map(Map.of("k", 1L, "ü", 2L)),
        RowFactory.create(null, "x", null), "high");
    Row nulls = RowFactory.create(new Object[ALL_TYPES.size()]);
    Row typical = RowFactory.create(true, (byte) 7, (short) 300, 42, 1L << 40, 1.5f, Math.PI,
        new BigDecimal("1234.567890123456789012"), "plain", new byte[] {1, 2, 3},
        LocalDate.of(2024, 2, 29), Instant.parse("2024-03-31T01:30:00.123456Z"),
        LocalDateTime.parse("2024-03-31T02:30:00.654321"), seq(List.of(5)), map(Map.of("a", 0L)),
        RowFactory.create(1, "b", Instant.parse("2024-01-01T00:00:00.000001Z")), "a b");
    return spark().createDataFrame(List.of(low, high, nulls, typical), ALL_TYPES);
  }

  private static Object seq(List<?> values) {
    return CollectionConverters.asScala(values).toSeq();
  }

  private static Object map(Map<?, ?> values) {
    return scala.collection.immutable.Map.from(CollectionConverters.asScala(values));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everySparkTypeSurvivesTheSandwich(boolean lazy) {
    Dataset<Row> df = allTypes();
    DuckDbFrame frame = spill.sparkToEngine(df, lazy ? ToEngine.lazy() : ToEngine.eager());
    assertThat(frame.isLazy()).isEqualTo(lazy);
    assertThat(frame.count()).isEqualTo(4);
    assertThat(frame.columns()).contains("column with space");
    assertSameData(df, spill.engineToSpark(frame));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anEmptyDatasetKeepsItsSchema(boolean lazy) {
    Dataset<Row> empty = allTypes().limit(0);
    DuckDbFrame frame = spill.sparkToEngine(empty, lazy ? ToEngine.lazy() : ToEngine.eager());
    assertThat(frame.count()).isZero();
    Dataset<Row> back = spill.engineToSpark(frame, true);
    assertSameData(empty, back);
    assertThat(frame.isReleased()).isTrue();
  }

  @Test
  void duckDbAggregationEqualsSparksOwn() {
    Dataset<Row> orders = spark().sql("SELECT id, CASE WHEN id % 3 = 0 THEN 'north' WHEN id % 3 = 1"
        + " THEN 'south' ELSE 'west' END AS region, CAST(id % 97 AS DECIMAL(12,2)) AS sales,"
        + " CASE WHEN id % 5 = 0 THEN 'cancelled' ELSE 'active' END AS status FROM range(20000)");
    DuckDbFrame result = spill.sparkToEngine(orders).sql("SELECT region, sum(sales) AS sales"
        + " FROM this WHERE status = 'active' GROUP BY region");
    // DuckDB sums DECIMAL(12,2) into DECIMAL(38,2), Spark into DECIMAL(22,2): same values.
    Dataset<Row> expected = orders.where("status = 'active'").groupBy("region")
        .agg(org.apache.spark.sql.functions.sum("sales").cast("decimal(38,2)").as("sales"));
    assertSameData(expected, spill.engineToSpark(result));
  }

  @Test
  void optimizeFilesPacksManySmallFilesWithoutLosingRows() {
    Dataset<Row> many = spark().range(0, 50000, 1, 16).selectExpr("id", "id * 2 AS twice");
    DuckDbFrame lazy = spill.sparkToEngine(many, ToEngine.lazy().optimizeFiles(true));
    assertThat(lazy.count()).isEqualTo(50000);
    Path frames = tmp.resolve("volume/_spill/runs").resolve(spill.runId()).resolve("frames");
    try (var dirs = java.nio.file.Files.list(frames)) {
      Path dir = dirs.findFirst().orElseThrow();
      assertThat(dir.getFileName().toString()).endsWith("-optimized");
      try (var files = java.nio.file.Files.list(dir)) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet")).count())
            .isBetween(1L, 2L);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertSameData(many, spill.engineToSpark(lazy));
  }

  @Test
  void eagerSpillFilesAreRemovedAtOnceLazyOnesStayUntilTeardown() throws Exception {
    Path frames = tmp.resolve("volume/_spill/runs").resolve(spill.runId()).resolve("frames");
    spill.sparkToEngine(spark().range(10).toDF());
    assertThat(frames.toFile().list()).isNullOrEmpty();
    DuckDbFrame lazy = spill.sparkToEngine(spark().range(10).toDF(), ToEngine.lazy());
    assertThat(frames.toFile().list()).hasSize(1);
    assertThat(lazy.count()).isEqualTo(10);
  }
}
