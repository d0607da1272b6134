package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.UnsupportedColumnTypeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values with no Spark counterpart, beyond what {@link TypeTableTest} tabulates: exact intervals
 * into DuckDB, infinities named at any depth, and the hints' own fixes working.
 */
class SpecialValuesTest extends DevSpillerTest {

  private DuckDbFrameEngine duck() {
    return spill.engine(DuckDbFrameEngine.class);
  }

  @Test
  void ansiIntervalsArriveAsExactDuckDbIntervalsAtAnyDepth() {
    DuckDbFrame frame =
        spill.sparkToEngine(
            spark()
                .sql(
                    "SELECT"
                        + " INTERVAL '178956970-7' YEAR TO MONTH AS ym,"
                        + " INTERVAL '-106751991 04:00:54.775808' DAY TO SECOND AS dt,"
                        + " array(INTERVAL '90' MINUTE) AS nested"),
            ToEngine.eager());
    assertThat(frame.columnTypes())
        .containsEntry("ym", "INTERVAL")
        .containsEntry("dt", "INTERVAL")
        .containsEntry("nested", "INTERVAL[]");
    List<String> row =
        duck()
            .queryRow(
                "SELECT datepart('year', ym), datepart('month', ym),"
                    + " epoch_us(dt), epoch_us(nested[1]), CAST(TIMESTAMP '2024-01-31' + nested[1] AS"
                    + " VARCHAR) FROM "
                    + frame.tableName());
    assertThat(row)
        .containsExactly(
            "178956970",
            "7",
            String.valueOf(Long.MIN_VALUE),
            String.valueOf(90L * 60_000_000),
            "2024-01-31 01:30:00");
  }

  @Test
  void anInfinityInsideANestedValueIsNamedByItsPath() {
    DuckDbFrame frame = duck().sql("SELECT 1 AS id, {'a': [DATE '2024-01-01', 'infinity']} AS s");
    assertThatThrownBy(() -> spill.engineToSpark(frame))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("the value at 's.a[]'")
        .hasMessageContaining("isinf");
  }

  @Test
  void theFixTheInfinityErrorGivesWorks() {
    DuckDbFrame frame =
        duck()
            .sql(
                "SELECT CASE WHEN isinf(t) THEN NULL ELSE t END AS t FROM"
                    + " (VALUES ('infinity'::TIMESTAMP_NS), (TIMESTAMP_NS '2024-01-01 00:00:00')) v(t)");
    assertThat(spill.engineToSpark(frame).selectExpr("CAST(t AS STRING)").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder(null, "2024-01-01 00:00:00");
  }

  @Test
  void nanosecondInfinitiesAreRefusedUnderEveryPolicy() {
    try (VolumeSpiller<DuckDbFrame> strict =
        VolumeSpiller.builder(spark())
            .engine(DuckDbEngine.create())
            .store(tmp.resolve("strict").toUri().toString())
            .localDir(tmp.resolve("strict-local"))
            .mode(Mode.DEV)
            .timestampPolicy(TimestampPolicy.FAIL_ON_PRECISION_LOSS)
            .shutdownHook(false)
            .build()) {
      DuckDbFrame frame =
          strict.engine(DuckDbFrameEngine.class).sql("SELECT '-infinity'::TIMESTAMP_NS AS t");
      assertThatThrownBy(() -> strict.engineToSpark(frame))
          .isInstanceOf(UnsupportedColumnTypeException.class)
          .hasMessageContaining("column 't' holds infinity");
    }
  }

  @Test
  void theVariantHintsCastArrivesAsJsonText() {
    DuckDbFrame frame = duck().sql("SELECT CAST({'a': [1, 2]}::VARIANT AS JSON) AS v");
    assertThat(spill.engineToSpark(frame).selectExpr("parse_json(v):a[1]::int").first().getInt(0))
        .isEqualTo(2);
  }
}
