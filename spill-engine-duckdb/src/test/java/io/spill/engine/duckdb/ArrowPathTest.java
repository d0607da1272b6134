package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.ToEngine;
import io.spill.spi.SpillException;
import io.spill.testkit.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/**
 * Spark to DuckDB as Arrow batches ({@link ToEngine#arrow()}) and the automatic choice ({@link
 * ToEngine#auto()}, the default): which path a transfer takes, what its log line says, and that a
 * Dataset larger than its estimate is spilled instead of held.
 */
class ArrowPathTest extends DevSpillerTest {

  /** A Dataset whose plan Spark sizes at a few hundred bytes but which holds 2,000,000 rows. */
  private static Dataset<Row> underestimated() {
    return spark()
        .range(0, 4, 1, 2)
        .selectExpr("explode(sequence(1, 500000)) AS x", "id")
        .selectExpr("x", "id", "concat('row ', x) AS s");
  }

  @Test
  void theDefaultTakesArrowBatchesForASmallDatasetAndWritesNoFile() {
    Dataset<Row> df = spark().range(0, 10_000, 1, 3).selectExpr("id", "id * 2 AS twice");
    DuckDbFrame frame;
    try (LogLines log = LogLines.capture()) {
      frame = spill.sparkToEngine(df);
      transferLine(log)
          .contains("(Arrow batches; auto: Spark estimates")
          .contains("10,000 rows")
          .containsPattern(
              " s \\(Spark \\d+\\.\\d{3} s encoding in the driver's JVM, duckdb \\d+\\.\\d{3} s"
                  + " loading after the last batch\\)$");
    }
    assertThat(frameFiles()).isEmpty(); // nothing went through the store
    assertThat(frame.count()).isEqualTo(10_000);
    SpillerFixture.assertSameData(df, spill.engineToSpark(frame));
  }

  @Test
  void arrowBatchesKeepTheDatasetsOrderAcrossPartitions() throws SQLException {
    Dataset<Row> df = spark().range(0, 50_000, 1, 7).toDF().orderBy(functions.col("id").desc());
    DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.arrow());
    List<Long> ids = new ArrayList<>();
    try (Statement s = frame.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + frame.tableName())) {
      while (r.next()) {
        ids.add(r.getLong(1));
      }
    }
    assertThat(ids).hasSize(50_000);
    assertThat(ids.get(0)).isEqualTo(49_999L);
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void anEmptyDatasetArrivesWithItsColumns() {
    Dataset<Row> df = spark().range(0).selectExpr("id", "CAST(id AS STRING) AS s");
    DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.arrow());
    assertThat(frame.count()).isZero();
    assertThat(frame.columnTypes()).containsEntry("id", "BIGINT").containsEntry("s", "VARCHAR");
  }

  @Test
  void autoSpillsWhatSparkEstimatesOverAFifthOfTheLimitOrOverTheLimit() {
    Dataset<Row> df = spark().range(0, 200_000, 1, 2).selectExpr("id", "id % 7 AS k");
    DuckDbFrame frame;
    try (LogLines log = LogLines.capture()) {
      frame = spill.sparkToEngine(df, ToEngine.auto().arrowLimitBytes(100_000));
      transferLine(log)
          .contains("(eager; auto: Spark estimates")
          .contains("over auto's Arrow threshold of 20,000 bytes") // a fifth of the limit
          .containsPattern(
              " s \\(Spark \\d+\\.\\d{3} s writing, duckdb \\d+\\.\\d{3} s loading\\)$");
    }
    assertThat(frame.count()).isEqualTo(200_000);
    // a threshold set over the limit: the limit bounds it
    try (LogLines log = LogLines.capture()) {
      ToEngine how = ToEngine.auto().arrowLimitBytes(100_000).autoArrowMaxEstimateBytes(1L << 30);
      assertThat(spill.sparkToEngine(df, how).count()).isEqualTo(200_000);
      transferLine(log)
          .contains("(eager; auto: Spark estimates")
          .contains("over the Arrow limit of 100,000 bytes");
    }
  }

  @Test
  void autoSpillsWhatSparkEstimatesOverItsArrowThresholdThoughWithinTheLimit() {
    Dataset<Row> df = spark().range(0, 200_000, 1, 2).selectExpr("id", "id % 7 AS k");
    DuckDbFrame frame;
    try (LogLines log = LogLines.capture()) {
      frame = spill.sparkToEngine(df, ToEngine.auto().autoArrowMaxEstimateBytes(100_000));
      transferLine(log)
          .contains("(eager; auto: Spark estimates")
          .contains("over auto's Arrow threshold of 100,000 bytes");
    }
    assertThat(frame.count()).isEqualTo(200_000);
    // the same Dataset under the default threshold takes Arrow batches
    try (LogLines log = LogLines.capture()) {
      assertThat(spill.sparkToEngine(df).count()).isEqualTo(200_000);
      transferLine(log)
          .contains("(Arrow batches; auto: Spark estimates")
          .contains("within " + (ToEngine.defaultArrowLimitBytes() / 5 >> 20) + " MiB");
    }
  }

  @Test
  void aLazyTransfersLineSplitsItsTimeAndCountsOneFileAsOne() {
    Dataset<Row> df = spark().range(0, 1_000, 1, 1).toDF();
    try (LogLines log = LogLines.capture()) {
      assertThat(spill.sparkToEngine(df, ToEngine.lazy()).count()).isEqualTo(1_000);
      transferLine(log)
          .contains("(lazy): 1,000 rows, 1 file, ")
          .containsPattern(
              " s \\(Spark \\d+\\.\\d{3} s writing, duckdb \\d+\\.\\d{3} s opening the files\\)$");
    }
  }

  @Test
  void autoWithAThresholdOfZeroSpillsEvenWhatSparkEstimatesAtZeroBytes() {
    Dataset<Row> empty = spark().range(0, 0, 1, 1).selectExpr("id");
    try (LogLines log = LogLines.capture()) {
      assertThat(spill.sparkToEngine(empty, ToEngine.auto().autoArrowMaxEstimateBytes(0)).count())
          .isZero();
      transferLine(log)
          .contains("(eager; auto: autoArrowMaxEstimateBytes is 0, so auto always spills");
    }
  }

  @Test
  void autoSpillsInsteadWhenTheBatchesOutgrowAWrongEstimate() throws SQLException {
    Dataset<Row> df = underestimated();
    DuckDbFrame frame;
    try (LogLines log = LogLines.capture()) {
      frame = spill.sparkToEngine(df, ToEngine.auto().arrowLimitBytes(4L << 20));
      assertThat(log.containing("passed the limit of 4,194,304 bytes")).hasSize(2);
      transferLine(log).contains("(eager; auto: the Arrow batches passed the limit");
    }
    assertThat(frame.count()).isEqualTo(2_000_000);
    // DuckDB was reading the stream when the batches passed the limit: nothing of it is left
    try (Statement s = frame.connection().createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT string_agg(table_name) FROM duckdb_tables() WHERE temporary"
                    + " UNION ALL SELECT string_agg(view_name) FROM duckdb_views()"
                    + " WHERE view_name LIKE 'spill_arrow%'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo(frame.tableName().replace("\"", ""));
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isNull();
    }
    SpillerFixture.assertSameData(df, spill.engineToSpark(frame));
  }

  @Test
  void arrowRefusesBatchesPastTheLimitAndHoldsNothing() {
    assertThatThrownBy(
            () -> spill.sparkToEngine(underestimated(), ToEngine.arrow().arrowLimitBytes(4L << 20)))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("passed the limit of 4,194,304 bytes")
        .hasMessageContaining("ToEngine.auto(), eager() or lazy()");
    // the engine and the session still work
    assertThat(spill.sparkToEngine(spark().range(3).toDF(), ToEngine.arrow()).count()).isEqualTo(3);
  }

  @Test
  void aFailingDatasetFailsAsItDoesWhenSpilled() {
    Dataset<Row> failing = SpillerFixture.failingWithALateTask();
    assertThatThrownBy(() -> spill.sparkToEngine(failing, ToEngine.arrow()))
        .hasMessageContaining("boom at 0");
    assertThatThrownBy(() -> spill.sparkToEngine(failing, ToEngine.eager()))
        .hasMessageContaining("boom at 0");
  }

  /** What is inside the run's frames folders of both stores. */
  private List<Path> frameFiles() {
    Path runs = tmp.resolve("volume/_spill/runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(runs)) {
      return all.filter(p -> p.toString().contains("/frames/")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void arrowCDataAtAnotherVersionThanTheRuntimesArrowIsNamedWithTheFix() {
    assertThat(ArrowStreamScan.versionMismatch("19.0.0", "12.0.1"))
        .hasValue(
            "org.apache.arrow:arrow-c-data is 19.0.0 but the runtime's Arrow (arrow-vector) is"
                + " 12.0.1; depend on arrow-c-data 12.0.1");
    assertThat(ArrowStreamScan.versionMismatch("19.0.0", "19.0.0")).isEmpty();
    // a jar without a version in its manifest (a shaded build) is given the benefit of the doubt
    assertThat(ArrowStreamScan.versionMismatch(null, "19.0.0")).isEmpty();
    // this build pins arrow-c-data at Spark's Arrow, and its native library loads here
    assertThat(ArrowStreamScan.unavailable()).isEmpty();
  }

  /** The log line of the one transfer the log holds, the path it took and why. */
  private static AbstractStringAssert<?> transferLine(LogLines log) {
    return assertThat(log.containing("Spark -> duckdb")).singleElement().asString();
  }
}
