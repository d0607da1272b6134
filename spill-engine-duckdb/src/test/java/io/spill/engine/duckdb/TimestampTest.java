package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.PrecisionLossException;
import io.spill.spi.TimestampPolicy;
import io.spill.testkit.FarTimestamps;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DuckDB's nanosecond and zoned timestamps on their way to Spark. */
class TimestampTest extends DevSpillerTest {
  @AfterEach
  void restoreZone() {
    spark().conf().set("spark.sql.session.timeZone", "UTC");
  }

  /**
   * 0001-01-01, 1677-09-21, 2262-04-12 and 9999-12-31 23:59:59.999999, zoned and local, top level
   * and nested, in INT96, TIMESTAMP_MICROS and TIMESTAMP_MILLIS sessions: eager, lazy and through
   * checkpoints from both sides, equal to Spark's own reading.
   */
  @Test
  void farTimestampsStayExactWhateverTheSessionWrites() {
    FarTimestamps.check(spill, tmp.resolve("spark"));
  }

  /**
   * Spark writes a timestamp before 4713 BC as an INT96 with a negative Julian day, which DuckDB
   * reads as a far-future value: the read is refused, naming the column and the way out, instead of
   * changing the value.
   */
  @Test
  void anInt96BeforeTheJulianEpochIsRefusedNotChanged() {
    Dataset<Row> df = spark().sql("SELECT TIMESTAMP'-5000-01-01 00:00:00Z' AS ts");
    assertThatThrownBy(() -> spill.sparkToEngine(df, ToEngine.eager()))
        .isInstanceOf(io.spill.spi.SpillException.class)
        .hasMessageContaining("INT96 column 'ts'")
        .hasMessageContaining("-5000-01-01T00:00:00Z")
        .hasMessageContaining("TIMESTAMP_MICROS");
    spark().conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    try {
      SparkSamples.assertSameData(
          df, spill.engineToSpark(spill.sparkToEngine(df, ToEngine.eager())));
    } finally {
      spark().conf().unset("spark.sql.parquet.outputTimestampType");
    }
  }

  /**
   * DuckDB's TIME goes to Spark when the session reads TIME ({@code spark.sql.timeType.enabled},
   * Spark 4.1+), at the top level and nested; with the setting off it is refused naming the column.
   */
  @Test
  void aTimeOfDayGoesToSparkOnlyWhenTheSessionReadsIt() {
    DuckDbFrame times =
        spill
            .engine(DuckDbFrameEngine.class)
            .sql("SELECT TIME '12:34:56.123456' AS t, [TIME '00:00:01', NULL] AS a");
    assertThatThrownBy(() -> spill.engineToSpark(times))
        .isInstanceOf(io.spill.spi.UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 't' has DuckDB type TIME");
    spark().conf().set("spark.sql.timeType.enabled", "true");
    try {
      Dataset<Row> back = spill.engineToSpark(times);
      assertThat(back.schema().catalogString()).isEqualTo("struct<t:time(6),a:array<time(6)>>");
      assertThat(back.first().get(0)).isEqualTo(java.time.LocalTime.parse("12:34:56.123456"));
      assertThat(back.first().getList(1))
          .containsExactly(java.time.LocalTime.parse("00:00:01"), null);
    } finally {
      spark().conf().unset("spark.sql.timeType.enabled");
    }
  }

  @Test
  void nanosecondTimestampsAtTheTopLevelAndNestedAreTruncatedToMicroseconds() {
    DuckDbFrame ns =
        spill.engine() instanceof DuckDbFrameEngine e
            ? e.sql(
                "SELECT"
                    + " TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS top,"
                    + " TIMESTAMP_NS '1969-12-31 23:59:59.999999999' AS before_epoch,"
                    + " {'at': TIMESTAMP_NS '2024-01-01 00:00:00.000000999', 'n': 1} AS s,"
                    + " [TIMESTAMP_NS '2024-01-01 00:00:00.000001001', NULL] AS l,"
                    + " MAP {'k': TIMESTAMP_NS '2024-01-01 00:00:00.5'} AS m,"
                    + " CAST(NULL AS STRUCT(\"at\" TIMESTAMP_NS)) AS null_struct")
            : null;
    Dataset<Row> back = spill.engineToSpark(ns);
    assertThat(back.schema().apply("top").dataType()).isEqualTo(DataTypes.TimestampNTZType);
    Row r = back.collectAsList().get(0);
    assertThat(r.<LocalDateTime>getAs("top"))
        .isEqualTo(LocalDateTime.parse("2024-01-01T00:00:00.123456"));
    assertThat(r.<LocalDateTime>getAs("before_epoch"))
        .isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
    assertThat(r.<Row>getAs("s").<LocalDateTime>getAs("at"))
        .isEqualTo(LocalDateTime.parse("2024-01-01T00:00:00"));
    assertThat(r.<Row>getAs("s").<Integer>getAs("n")).isEqualTo(1);
    assertThat(r.<scala.collection.Seq<Object>>getAs("l").apply(0))
        .isEqualTo(LocalDateTime.parse("2024-01-01T00:00:00.000001"));
    assertThat(r.<scala.collection.Map<String, Object>>getAs("m").apply("k"))
        .isEqualTo(LocalDateTime.parse("2024-01-01T00:00:00.500"));
    assertThat(r.<Object>getAs("null_struct")).isNull();
  }

  @Test
  void failOnPrecisionLossNamesTheColumn() {
    try (VolumeSpiller<DuckDbFrame> strict =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .store(tmp.resolve("strict").toString())
            .localDir(tmp.resolve("strict-local"))
            .shutdownHook(false)
            .timestampPolicy(TimestampPolicy.FAIL_ON_PRECISION_LOSS)
            .build()) {
      DuckDbFrameEngine duck = (DuckDbFrameEngine) strict.engine();
      DuckDbFrame exact = duck.sql("SELECT [TIMESTAMP_NS '2024-01-01 00:00:00.123456000'] AS ok");
      assertThat(strict.engineToSpark(exact).count()).isEqualTo(1);
      DuckDbFrame lossy =
          duck.sql("SELECT {'x': TIMESTAMP_NS '2024-01-01 00:00:00.123456789'} AS \"nested col\"");
      assertThatThrownBy(() -> strict.engineToSpark(lossy))
          .isInstanceOf(PrecisionLossException.class)
          .hasMessageContaining("column 'nested col'")
          .hasMessageContaining("TimestampPolicy.TRUNCATE");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Asia/Kolkata"})
  void zonedAndLocalTimestampsKeepTypeAndValueWhateverTheSessionZone(String zone) {
    spark().conf().set("spark.sql.session.timeZone", zone);
    Dataset<Row> df =
        spark()
            .sql(
                "SELECT TIMESTAMP_LTZ '2024-03-10 02:30:00.000001 UTC' AS ts,"
                    + " TIMESTAMP_NTZ '2024-03-10 02:30:00.000001' AS ntz");
    Dataset<Row> back = spill.engineToSpark(spill.sparkToEngine(df, ToEngine.eager()));
    assertThat(back.schema().apply("ts").dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(back.schema().apply("ntz").dataType()).isEqualTo(DataTypes.TimestampNTZType);
    Row r = back.collectAsList().get(0);
    assertThat(r.<Instant>getAs("ts")).isEqualTo(Instant.parse("2024-03-10T02:30:00.000001Z"));
    assertThat(r.<LocalDateTime>getAs("ntz"))
        .isEqualTo(LocalDateTime.parse("2024-03-10T02:30:00.000001"));
  }

  /**
   * spill leaves the session's Parquet settings alone: Spark writes timestamps as INT96 by default,
   * or as the session says, and DuckDB still reads a TIMESTAMP as the instant it is.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"", "INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS"})
  void whateverTheSessionWritesDuckDbReadsInstantsAndTheSessionIsUnchanged(String outputType)
      throws Exception {
    String key = "spark.sql.parquet.outputTimestampType";
    String before = spark().conf().get(key);
    if (!outputType.isEmpty()) {
      spark().conf().set(key, outputType);
    }
    try {
      Dataset<Row> df =
          spark()
              .sql(
                  "SELECT TIMESTAMP '2024-01-01 00:00:00.123Z' AS ts,"
                      + " named_struct('t', TIMESTAMP '1850-06-01 12:00:00Z') AS s,"
                      + " TIMESTAMP_NTZ '2024-01-01 00:00:00.123' AS ntz");
      for (io.spill.ToEngine how : List.of(io.spill.ToEngine.eager(), io.spill.ToEngine.lazy())) {
        DuckDbFrame frame = spill.sparkToEngine(df, how);
        assertThat(frame.columnTypes())
            .containsEntry("ts", "TIMESTAMP WITH TIME ZONE")
            .containsEntry("ntz", "TIMESTAMP");
        DuckDbFrame q =
            frame.sql(
                "SELECT epoch_us(ts) AS a, epoch_us(s.t) AS b,"
                    + " epoch_us(ntz) AS c, typeof(s.t) AS t FROM this");
        try (var st = q.connection().createStatement();
            var rs = st.executeQuery("SELECT * FROM " + q.tableName())) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("a")).isEqualTo(1704067200123000L);
          assertThat(rs.getLong("b"))
              .isEqualTo(Instant.parse("1850-06-01T12:00:00Z").toEpochMilli() * 1000);
          assertThat(rs.getLong("c")).isEqualTo(1704067200123000L);
          assertThat(rs.getString("t")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        }
        Dataset<Row> back = spill.engineToSpark(frame);
        assertThat(back.schema().catalogString()).isEqualTo(df.schema().catalogString());
        assertThat(back.collectAsList()).isEqualTo(df.collectAsList());
      }
      assertThat(spark().conf().get(key)).isEqualTo(outputType.isEmpty() ? before : outputType);
    } finally {
      spark().conf().set(key, before);
    }
  }

  /** Where the session turned Spark's inference of local timestamps off, NTZ still comes back. */
  @Test
  void localTimestampsComeBackAsNtzWhenTheSessionDoesNotInferThem() {
    String key = "spark.sql.parquet.inferTimestampNTZ.enabled";
    spark().conf().set(key, "false");
    try {
      DuckDbFrame frame =
          spill.sparkToEngine(
              spark()
                  .sql(
                      "SELECT TIMESTAMP_NTZ"
                          + " '2024-01-01 10:00:00' AS ntz, array(TIMESTAMP_NTZ '2024-01-01 10:00:00') AS a,"
                          + " TIMESTAMP '2024-01-01 10:00:00Z' AS ts"),
              ToEngine.eager());
      Dataset<Row> back = spill.engineToSpark(frame);
      assertThat(back.schema().catalogString())
          .isEqualTo("struct<ntz:timestamp_ntz,a:array<timestamp_ntz>,ts:timestamp>");
      assertThat(spark().conf().get(key)).isEqualTo("false");
    } finally {
      spark().conf().unset(key);
    }
  }
}
