package io.spill.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.engine.duckdb.DuckDbFrameEngine;
import io.spill.spark.CommentReport;
import io.spill.spark.FrameShape;
import io.spill.spark.SparkFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What spill must do on every Spark it supports, on whatever kind of session: the sandwich both
 * ways (eager and lazy), checkpoints on both storages, teardown in both modes, and the Spark
 * utilities. Written against the API that Spark 3.5 and 4.x share and that Scala 2.12 and 2.13 both
 * run, so that the compatibility matrix can run these very classes on other Spark versions.
 */
abstract class CompatibilitySuite {
  /** Spark types every supported version has, with values at their edges. */
  static final String ALL_TYPES =
      "SELECT * FROM VALUES"
          + " (true, CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), 2147483647,"
          + " -9223372036854775808L, CAST(1.5 AS FLOAT), CAST('NaN' AS DOUBLE),"
          + " CAST('-99999999999999999999.999999999999999999' AS DECIMAL(38,18)), 'Grüße 🚀',"
          + " X'00FF', DATE'1970-01-01', TIMESTAMP'2024-03-31 01:30:00.123456Z',"
          + " TIMESTAMP_NTZ'9999-12-31 23:59:59.999999', array(1, NULL), map('k', 2L),"
          + " named_struct('a', 1, 't', TIMESTAMP'1969-12-31 23:59:59.999999Z')),"
          + " (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " NULL, NULL)"
          + " AS t(b, i8, i16, i32, i64, f, d, dec, s, bin, day, ts, ntz, arr, m, st)";

  @TempDir Path tmp;

  /** The session under test. */
  abstract SparkSession spark();

  VolumeSpiller<DuckDbFrame> spiller(Mode mode) {
    return VolumeSpiller.builder(spark())
        .engine(DuckDbEngine.create())
        .store(tmp.resolve("volume").toString())
        .localDir(tmp.resolve("local"))
        .mode(mode)
        .option("duckdb.threads", "2")
        .shutdownHook(false)
        .build();
  }

  /** The schema as DDL, nullability aside (Parquet makes nested fields nullable). */
  static String ddl(Dataset<Row> df) {
    return df.schema().toDDL().replace(" NOT NULL", "");
  }

  @Test
  void everyTypeSurvivesTheSandwichEagerAndLazy() {
    Dataset<Row> df = spark().sql(ALL_TYPES);
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
        DuckDbFrame frame = spill.sparkToEngine(df, how);
        assertThat(frame.isLazy()).isEqualTo(how.isLazy());
        assertThat(frame.count()).isEqualTo(2);
        Dataset<Row> back = spill.engineToSpark(frame);
        assertThat(ddl(back)).isEqualTo(ddl(df));
        assertThat(back.collectAsList()).containsExactlyInAnyOrderElementsOf(df.collectAsList());
      }
    }
  }

  /**
   * Arrow batches ({@code ToEngine.arrow()}) give what spilling gives, on classic and Spark Connect
   * sessions of every Spark version, with arrow-c-data at that Spark's Arrow version (the matrix
   * builds pin it, as the README asks users to).
   */
  @Test
  void arrowBatchesGiveWhatSpillingGives() {
    Dataset<Row> df =
        spark()
            .sql(
                "SELECT id, CAST(id AS STRING) AS s, TIMESTAMP'2024-03-31 01:30:00Z' + make_dt_interval(0, 0, 0, id) AS ts,"
                    + " array(id, NULL) AS a FROM range(0, 5000, 1, 3)");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.arrow());
      assertThat(frame.count()).isEqualTo(5000);
      Dataset<Row> back = spill.engineToSpark(frame);
      assertThat(ddl(back)).isEqualTo(ddl(df));
      assertThat(back.collectAsList()).containsExactlyInAnyOrderElementsOf(df.collectAsList());
    }
  }

  /**
   * Dates before the Gregorian switch (1582) and INT96 timestamps before 1900: Spark 4 writes them
   * as they are; Spark 3.5 refuses unless the session says how to rebase them, and spill changes no
   * session setting, so the error is Spark's own, naming the setting. With it set to CORRECTED,
   * they arrive unchanged.
   */
  @Test
  void ancientDatesFollowTheSessionsRebaseSetting() throws java.sql.SQLException {
    String setting = "spark.sql.parquet.datetimeRebaseModeInWrite";
    String int96 = "spark.sql.parquet.int96RebaseModeInWrite";
    Dataset<Row> ancient =
        spark().sql("SELECT DATE'0001-01-01' AS d," + " TIMESTAMP'1500-06-01 12:00:00Z' AS ts");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      if (spark().version().startsWith("3.")) {
        assertThatThrownBy(() -> spill.sparkToEngine(ancient, ToEngine.eager()))
            .hasStackTraceContaining("RebaseModeInWrite");
      }
      String before = spark().conf().get(setting);
      String beforeInt96 = spark().conf().get(int96);
      spark().conf().set(setting, "CORRECTED");
      spark().conf().set(int96, "CORRECTED");
      try {
        DuckDbFrame frame = spill.sparkToEngine(ancient, ToEngine.eager());
        try (java.sql.Statement st = frame.connection().createStatement();
            java.sql.ResultSet r =
                st.executeQuery(
                    "SELECT CAST(d AS VARCHAR), epoch_us(ts)" + " FROM " + frame.tableName())) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo("0001-01-01");
          assertThat(r.getLong(2))
              .isEqualTo(
                  java.time.Instant.parse("1500-06-01T12:00:00Z").getEpochSecond() * 1_000_000);
        }
        assertThat(spill.engineToSpark(frame).collectAsList())
            .containsExactlyElementsOf(ancient.collectAsList());
      } finally {
        spark().conf().set(setting, before);
        spark().conf().set(int96, beforeInt96);
      }
    }
  }

  @Test
  void duckDbComputesWhatSparkComputes() {
    Dataset<Row> orders =
        spark()
            .sql(
                "SELECT id, CAST(id % 3 AS INT) AS region,"
                    + " CAST(id % 97 AS DECIMAL(12,2)) AS sales FROM range(5000)");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      DuckDbFrame sums =
          spill
              .sparkToEngine(orders, ToEngine.lazy())
              .sql(
                  "SELECT region, CAST(sum(sales) AS DECIMAL(22,2)) AS sales, count(*) AS n"
                      + " FROM this GROUP BY region");
      Dataset<Row> expected =
          orders
              .groupBy("region")
              .agg(
                  org.apache.spark.sql.functions.sum("sales").as("sales"),
                  org.apache.spark.sql.functions.count("*").as("n"));
      assertThat(spill.engineToSpark(sums).collectAsList())
          .containsExactlyInAnyOrderElementsOf(expected.collectAsList());
    }
  }

  @Test
  void checkpointsOnBothStoragesFromBothSides() {
    Dataset<Row> df = spark().sql("SELECT id, CAST(id AS STRING) AS s FROM range(100)");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      DuckDbFrameEngine duck = spill.engine(DuckDbFrameEngine.class);
      for (Storage storage : Storage.values()) {
        spill.saveCheckpointSpark(df, "from_spark", storage);
        spill.saveCheckpointFrame(duck.sql("SELECT 7 AS seven"), "from_duckdb", storage);
        assertThat(spill.listCheckpoints(storage)).containsExactly("from_duckdb", "from_spark");
        assertThat(spill.loadCheckpointSpark("from_spark", storage).collectAsList())
            .containsExactlyInAnyOrderElementsOf(df.collectAsList());
        assertThat(spill.loadCheckpointFrame("from_spark", storage).count()).isEqualTo(100);
        assertThat(spill.scanCheckpointFrame("from_duckdb", storage).count()).isEqualTo(1);
        assertThat(spill.loadCheckpointSpark("from_duckdb", storage).first().getInt(0))
            .isEqualTo(7);
        assertThat(spill.deleteCheckpoint("from_spark", storage)).isTrue();
        assertThat(spill.listCheckpoints(storage)).containsExactly("from_duckdb");
      }
    }
  }

  @Test
  void teardownKeepsDevCheckpointsRemovesProdOnesAndNothingElse() throws IOException {
    Path volume = tmp.resolve("volume");
    Files.createDirectories(volume);
    Path foreign = Files.writeString(volume.resolve("teammate.csv"), "not spill's");
    try (VolumeSpiller<DuckDbFrame> dev = spiller(Mode.DEV)) {
      dev.saveCheckpointSpark(spark().sql("SELECT 1 AS one"), "kept");
      dev.sparkToEngine(spark().sql("SELECT 2 AS two"), ToEngine.lazy());
    }
    try (VolumeSpiller<DuckDbFrame> prod = spiller(Mode.PROD)) {
      prod.saveCheckpointSpark(spark().sql("SELECT 3 AS three"), "temporary");
      assertThat(prod.listCheckpoints()).containsExactly("kept", "temporary");
    }
    try (VolumeSpiller<DuckDbFrame> after = spiller(Mode.DEV)) {
      assertThat(after.listCheckpoints()).containsExactly("kept");
      assertThat(after.loadCheckpointSpark("kept").first().getInt(0)).isEqualTo(1);
    }
    assertThat(Files.readString(foreign)).isEqualTo("not spill's");
    try (Stream<Path> runs = Files.list(volume.resolve("_spill/runs"))) {
      assertThat(runs).isEmpty();
    }
  }

  @Test
  void sparkUtilitiesWork() {
    Dataset<Row> df =
        spark()
            .sql(
                "SELECT * FROM VALUES (1, 'a', named_struct('x', 1)),"
                    + " (1, 'a', named_struct('x', 1)), (2, NULL, named_struct('x', 2))"
                    + " AS t(`Order ID`, `Näme`, s)");
    assertThat(SparkFrames.glimpse(df)).contains("Rows: 3").contains("Order ID");
    assertThat(SparkFrames.frameShape(df)).isEqualTo(new FrameShape(3, 3));
    assertThat(SparkFrames.keepDuplicates(df, "Order ID").count()).isEqualTo(2);
    assertThat(SparkFrames.isUnique(df, "Order ID")).isFalse();
    assertThat(SparkFrames.valueCounts(df, "Order ID").collectAsList()).hasSize(2);
    assertThat(SparkFrames.cleanColumnNames(df).columns()).containsExactly("order_id", "name", "s");
    assertThat(SparkFrames.unnest(df, "s").columns()).containsExactly("Order ID", "Näme", "x");
    assertThat(SparkFrames.selectByType(df, DataTypes.StringType).columns())
        .containsExactly("Näme");
    assertThat(SparkFrames.nullCounts(df).first().getLong(1)).isEqualTo(1);
    List<Row> profile = SparkFrames.profile(df, 2).collectAsList();
    assertThat(profile).hasSize(3);
    assertThat(profile.get(0).getString(0)).isEqualTo("Order ID");
    assertThat(profile.get(0).getList(profile.get(0).fieldIndex("top_values"))).hasSize(2);
  }

  @Test
  void columnCommentsAreApplied() throws Exception {
    String table = "spill_comments_" + getClass().getSimpleName().toLowerCase();
    spark().sql("DROP TABLE IF EXISTS " + table);
    spark().sql("CREATE TABLE " + table + " (id BIGINT, name STRING) USING parquet");
    try {
      CommentReport report =
          SparkFrames.applyColumnComments(spark(), table, Map.of("id", "the key", "missing", "x"));
      assertThat(report.changed()).containsExactly("id");
      assertThat(report.unknownColumns()).containsExactly("missing");
      assertThat(spark().catalog().listColumns(table).collectAsList())
          .filteredOn(c -> c.name().equals("id"))
          .singleElement()
          .satisfies(c -> assertThat(c.description()).isEqualTo("the key"));
      CommentReport again =
          SparkFrames.applyColumnComments(spark(), table, Map.of("id", "the key", "name", "who"));
      assertThat(again.unchanged()).containsExactly("id");
      assertThat(again.changed()).containsExactly("name");
    } finally {
      spark().sql("DROP TABLE IF EXISTS " + table);
    }
  }
}
