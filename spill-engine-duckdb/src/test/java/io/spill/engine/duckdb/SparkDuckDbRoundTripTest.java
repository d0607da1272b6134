package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static io.spill.testkit.SparkSamples.allTypes;
import static io.spill.testkit.SparkSamples.assertSameData;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.ToEngine;
import io.spill.testkit.Nullability;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spark -> DuckDB -> Spark on a real local Spark, eager and lazy. */
class SparkDuckDbRoundTripTest extends DevSpillerTest {

  /** NOT NULL comes back as Spark's own Parquet round trip gives it: nullable, at every depth. */
  @Test
  void nullabilityIsWhatSparksOwnParquetRoundTripGives() {
    Nullability.check(spill, tmp.resolve("own"));
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
    Dataset<Row> orders =
        spark()
            .sql(
                "SELECT id, CASE WHEN id % 3 = 0 THEN 'north' WHEN id % 3 = 1"
                    + " THEN 'south' ELSE 'west' END AS region, CAST(id % 97 AS DECIMAL(12,2)) AS sales,"
                    + " CASE WHEN id % 5 = 0 THEN 'cancelled' ELSE 'active' END AS status FROM range(20000)");
    DuckDbFrame result =
        spill
            .sparkToEngine(orders, ToEngine.eager())
            .sql(
                "SELECT region, sum(sales) AS sales"
                    + " FROM this WHERE status = 'active' GROUP BY region");
    // DuckDB sums DECIMAL(12,2) into DECIMAL(38,2), Spark into DECIMAL(22,2): same values.
    Dataset<Row> expected =
        orders
            .where("status = 'active'")
            .groupBy("region")
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
        assertThat(files.filter(f -> f.toString().endsWith(".parquet")).count()).isBetween(1L, 2L);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertSameData(many, spill.engineToSpark(lazy));
  }

  @Test
  void eagerSpillFilesAreRemovedAtOnceLazyOnesStayUntilTeardown() throws Exception {
    Path frames = tmp.resolve("volume/_spill/runs").resolve(spill.runId()).resolve("frames");
    spill.sparkToEngine(spark().range(10).toDF(), ToEngine.eager());
    assertThat(frames.toFile().list()).isNullOrEmpty();
    DuckDbFrame lazy = spill.sparkToEngine(spark().range(10).toDF(), ToEngine.lazy());
    assertThat(frames.toFile().list()).hasSize(1);
    assertThat(lazy.count()).isEqualTo(10);
  }
}
