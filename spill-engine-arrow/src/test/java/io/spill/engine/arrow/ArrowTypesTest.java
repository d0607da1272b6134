package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.WriteResult;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet as Spark writes it under each of its settings, read into Arrow and written back for
 * Spark: nulls at every level of nesting, decimals of every physical kind, timestamps as INT96,
 * TIMESTAMP_MICROS and TIMESTAMP_MILLIS, the legacy list and decimal layout, many row groups
 * and pages with a small batch size; the engine holds no memory afterwards.
 */
class ArrowTypesTest {
  @TempDir Path dir;
  private final ArrowFrameEngine engine = ArrowEngine.create(java.util.Map.of(
      "arrow.batch-rows", "100"));

  @AfterEach
  void noMemoryHeld() {
    engine.close();
    assertThat(engine.allocatedBytes()).isZero();
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private List<String> write(Dataset<Row> df, String name) throws Exception {
    Path out = dir.resolve(name);
    df.write().option("parquet.writer.version", name.startsWith("v2") ? "PARQUET_2_0"
        : "PARQUET_1_0").parquet(out.toUri().toString());
    try (Stream<Path> s = Files.list(out)) {
      return s.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
    }
  }

  /**
   * Writes {@code df} with Spark, reads the files eagerly and lazily, writes each frame back, and
   * checks that Spark reads back what it reads from its own files.
   */
  private void roundTrip(Dataset<Row> source, String name) throws Exception {
    List<String> files = write(source, name);
    Dataset<Row> df = spark().read().parquet(dir.resolve(name).toUri().toString());
    for (boolean lazy : new boolean[] {false, true}) {
      try (ArrowFrame frame = engine.read(files, df.schema().json(), lazy)) {
        assertThat(frame.rowCount()).isEqualTo(df.count());
        Path out = dir.resolve(name + "-back-" + lazy);
        WriteResult written = engine.write(frame, out.toString(), 1L << 27);
        Dataset<Row> back = spark().read().parquet(written.files().stream()
            .map(f -> out.resolve(f).toUri().toString()).toArray(String[]::new));
        SparkSamples.assertSameData(df, back);
      }
    }
  }

  @Test
  void nullsAtEveryLevelOfNesting() throws Exception {
    roundTrip(spark().sql("SELECT id,"
        + " CASE WHEN id % 5 = 0 THEN NULL ELSE array(named_struct('a',"
        + "   CASE WHEN id % 3 = 0 THEN NULL ELSE array(id, NULL) END,"
        + "   'm', CASE WHEN id % 4 = 0 THEN NULL ELSE map('k', CASE WHEN id % 2 = 0 THEN NULL"
        + "     ELSE id END) END), CAST(NULL AS STRUCT<a: ARRAY<BIGINT>, m: MAP<STRING, BIGINT>>))"
        + " END AS deep,"
        + " CASE WHEN id % 7 = 0 THEN NULL ELSE array(array(id), array(), NULL) END AS lists,"
        + " CASE WHEN id % 6 = 0 THEN NULL ELSE named_struct('s', named_struct('x',"
        + "   CASE WHEN id % 2 = 0 THEN NULL ELSE id END)) END AS structs"
        + " FROM range(0, 1000, 1, 3)"), "nested");
  }

  @Test
  void decimalsOfEveryPrecisionAndPhysicalKind() throws Exception {
    roundTrip(spark().sql("SELECT CAST(id % 19 - 9 AS DECIMAL(1, 0)) AS d1,"
        + " CAST((id - 500) * 1.01 AS DECIMAL(9, 2)) AS d9,"
        + " CAST((id - 500) * 123456789.123 AS DECIMAL(18, 3)) AS d18,"
        + " CAST((id - 500) * 1234567890123.4567 AS DECIMAL(19, 4)) AS d19,"
        + " CAST('-99999999999999999999999999999999999999' AS DECIMAL(38, 0)) + id AS d38,"
        + " CASE WHEN id % 2 = 0 THEN NULL ELSE CAST(id / 3 AS DECIMAL(38, 18)) END AS d38s"
        + " FROM range(0, 1000, 1, 2)"), "decimals");
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS"})
  void timestampsWhateverTheSessionWrites(String outputType) throws Exception {
    String before = spark().conf().get("spark.sql.parquet.outputTimestampType");
    spark().conf().set("spark.sql.parquet.outputTimestampType", outputType);
    try {
      roundTrip(spark().sql("SELECT TIMESTAMP'1900-01-01 00:00:00Z' + make_dt_interval(id, 0,"
          + " 0, id * 1.001) AS ts, TIMESTAMP_NTZ'2000-02-29 12:00:00' + make_dt_interval(0, id)"
          + " AS ntz, array(TIMESTAMP'2024-01-01 00:00:00Z') AS tsa FROM range(0, 500, 1, 2)"),
          "ts-" + outputType);
    } finally {
      spark().conf().set("spark.sql.parquet.outputTimestampType", before);
    }
  }

  @Test
  void theLegacyParquetLayoutReadsToo() throws Exception {
    spark().conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    try {
      roundTrip(spark().sql("SELECT id, CAST(id AS DECIMAL(9, 2)) AS d, array(id, NULL) AS a,"
          + " map('k', id) AS m FROM range(0, 300, 1, 2)"), "legacy");
    } finally {
      spark().conf().unset("spark.sql.parquet.writeLegacyFormat");
    }
  }

  /**
   * Parquet 2.0 writers use data pages v2 and delta encodings, which the column readers of
   * parquet-column decode where spill's own page decoder does not.
   */
  @Test
  void dataPagesV2AndDeltaEncodings() throws Exception {
    roundTrip(spark().sql("SELECT id, CASE WHEN id % 9 = 0 THEN NULL ELSE id * 7 END AS n,"
        + " CAST(id % 100 AS INT) AS i, concat('s', id) AS s, CAST(id AS DOUBLE) AS d,"
        + " CAST(id AS DECIMAL(12, 2)) AS dec, id % 2 = 0 AS b,"
        + " TIMESTAMP'2024-01-01 00:00:00Z' + make_dt_interval(0, 0, 0, id) AS ts"
        + " FROM range(0, 20000, 1, 2)"), "v2-pages");
  }

  @Test
  void manyRowGroupsPagesAndBatches() throws Exception {
    spark().conf().set("spark.sql.files.maxRecordsPerFile", "40000");
    try {
      roundTrip(spark().sql("SELECT id, CASE WHEN id % 11 = 0 THEN NULL ELSE id % 7 END AS small,"
          + " concat('v', id % 1000) AS dict, concat('unique-', id) AS plain,"
          + " CAST(id AS DOUBLE) / 3 AS d, id % 2 = 0 AS b, CAST(id % 128 AS TINYINT) AS t,"
          + " CAST(id % 30000 AS SMALLINT) AS s, DATE'2020-01-01' + CAST(id % 999 AS INT) AS day"
          + " FROM range(0, 100000, 1, 2)"), "many");
    } finally {
      spark().conf().unset("spark.sql.files.maxRecordsPerFile");
    }
  }
}
