package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.internal.spark.SparkSchemas;
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
 * TIMESTAMP_MICROS and TIMESTAMP_MILLIS, the legacy list and decimal layout, many row groups and
 * pages with a small batch size; the engine holds no memory afterwards.
 */
class ArrowTypesTest {
  @TempDir Path dir;
  private final ArrowFrameEngine engine =
      ArrowEngine.create(java.util.Map.of("arrow.batch-rows", "100"));

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
    df.write()
        .option("parquet.writer.version", name.startsWith("v2") ? "PARQUET_2_0" : "PARQUET_1_0")
        .parquet(out.toUri().toString());
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
      try (ArrowFrame frame = engine.read(files, SparkSchemas.of(df.schema()), lazy)) {
        assertThat(frame.rowCount()).isEqualTo(df.count());
        Dataset<Row> back = WrittenBack.write(engine, frame, dir.resolve(name + "-back-" + lazy));
        SparkSamples.assertSameData(df, back);
      }
    }
  }

  @Test
  void nullsAtEveryLevelOfNesting() throws Exception {
    roundTrip(
        spark()
            .sql(
                "SELECT id,"
                    + " CASE WHEN id % 5 = 0 THEN NULL ELSE array(named_struct('a',"
                    + "   CASE WHEN id % 3 = 0 THEN NULL ELSE array(id, NULL) END,"
                    + "   'm', CASE WHEN id % 4 = 0 THEN NULL ELSE map('k', CASE WHEN id % 2 = 0 THEN NULL"
                    + "     ELSE id END) END), CAST(NULL AS STRUCT<a: ARRAY<BIGINT>, m: MAP<STRING, BIGINT>>))"
                    + " END AS deep,"
                    + " CASE WHEN id % 7 = 0 THEN NULL ELSE array(array(id), array(), NULL) END AS lists,"
                    + " CASE WHEN id % 6 = 0 THEN NULL ELSE named_struct('s', named_struct('x',"
                    + "   CASE WHEN id % 2 = 0 THEN NULL ELSE id END)) END AS structs"
                    + " FROM range(0, 1000, 1, 3)"),
        "nested");
  }

  @Test
  void decimalsOfEveryPrecisionAndPhysicalKind() throws Exception {
    roundTrip(
        spark()
            .sql(
                "SELECT CAST(id % 19 - 9 AS DECIMAL(1, 0)) AS d1,"
                    + " CAST((id - 500) * 1.01 AS DECIMAL(9, 2)) AS d9,"
                    + " CAST((id - 500) * 123456789.123 AS DECIMAL(18, 3)) AS d18,"
                    + " CAST((id - 500) * 1234567890123.4567 AS DECIMAL(19, 4)) AS d19,"
                    + " CAST('-99999999999999999999999999999999999999' AS DECIMAL(38, 0)) + id AS d38,"
                    + " CASE WHEN id % 2 = 0 THEN NULL ELSE CAST(id / 3 AS DECIMAL(38, 18)) END AS d38s"
                    + " FROM range(0, 1000, 1, 2)"),
        "decimals");
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS"})
  void timestampsWhateverTheSessionWrites(String outputType) throws Exception {
    String before = spark().conf().get("spark.sql.parquet.outputTimestampType");
    spark().conf().set("spark.sql.parquet.outputTimestampType", outputType);
    try {
      roundTrip(
          spark()
              .sql(
                  "SELECT TIMESTAMP'1900-01-01 00:00:00Z' + make_dt_interval(id, 0,"
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
      roundTrip(
          spark()
              .sql(
                  "SELECT id, CAST(id AS DECIMAL(9, 2)) AS d, array(id, NULL) AS a,"
                      + " map('k', id) AS m FROM range(0, 300, 1, 2)"),
          "legacy");
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
    roundTrip(
        spark()
            .sql(
                "SELECT id, CASE WHEN id % 9 = 0 THEN NULL ELSE id * 7 END AS n,"
                    + " CAST(id % 100 AS INT) AS i, concat('s', id) AS s, CAST(id AS DOUBLE) AS d,"
                    + " CAST(id AS DECIMAL(12, 2)) AS dec, id % 2 = 0 AS b,"
                    + " TIMESTAMP'2024-01-01 00:00:00Z' + make_dt_interval(0, 0, 0, id) AS ts"
                    + " FROM range(0, 20000, 1, 2)"),
        "v2-pages");
  }

  /**
   * Unsigned integers, which Spark never writes but reads (other writers do): each arrives as Spark
   * reads it (UINT_8 as short, UINT_16 as int, UINT_32 as long, UINT_64 as decimal(20,0)), down to
   * each one's largest value, eager and lazy, and goes back to Spark as the same.
   */
  @Test
  void unsignedIntegersReadAsSparkReadsThem() throws Exception {
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { optional int32 u8 (INTEGER(8,false)); optional int32 u16"
                + " (INTEGER(16,false)); optional int32 u32 (INTEGER(32,false));"
                + " optional int64 u64 (INTEGER(64,false)); }");
    Path file = dir.resolve("unsigned/part-0.parquet");
    Files.createDirectories(file.getParent());
    var factory = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    try (var writer =
        org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.parquet.io.LocalOutputFile(file))
            .withType(schema)
            .build()) {
      writer.write(
          factory
              .newGroup()
              .append("u8", 255)
              .append("u16", 65535)
              .append("u32", -1)
              .append("u64", -1L)); // each type's largest value, in its signed storage
      writer.write(
          factory.newGroup().append("u8", 0).append("u16", 1).append("u32", 7).append("u64", 42L));
      writer.write(factory.newGroup()); // all null
    }
    Dataset<Row> spark = spark().read().parquet(file.getParent().toUri().toString());
    assertThat(spark.schema().simpleString())
        .isEqualTo("struct<u8:smallint,u16:int,u32:bigint,u64:decimal(20,0)>");
    assertThat(spark.where("u8 = 255").first().get(3))
        .isEqualTo(new java.math.BigDecimal("18446744073709551615"));
    for (boolean lazy : new boolean[] {false, true}) {
      try (ArrowFrame frame = engine.read(List.of(file.toString()), null, lazy)) {
        Dataset<Row> back = WrittenBack.write(engine, frame, dir.resolve("unsigned-back-" + lazy));
        SparkSamples.assertSameData(spark, back);
      }
    }
  }

  /**
   * A wide file with many row groups (60 columns by 30 row groups: 1,800 column chunks) read
   * eagerly in a child JVM that may open 1,024 files: each column's reader is closed as soon as its
   * rows are read, so the read never holds more than a few open at once.
   */
  @Test
  void aWideFileWithManyRowGroupsReadsUnderALowFileLimit() throws Exception {
    StringBuilder columns = new StringBuilder("id");
    for (int c = 1; c < 60; c++) {
      columns.append(", id * ").append(c).append(" AS c").append(c);
    }
    Path out = dir.resolve("wide");
    spark()
        .sql("SELECT " + columns + " FROM range(0, 3000, 1, 1)")
        .write()
        .option("parquet.block.size", "1024") // a row group each 100 rows, Parquet's least
        .parquet(out.toUri().toString());
    String file;
    try (Stream<Path> s = Files.list(out)) {
      file = s.map(Path::toString).filter(f -> f.endsWith(".parquet")).findFirst().orElseThrow();
    }
    int rowGroups =
        org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.io.LocalInputFile.class
                    .getConstructor(Path.class)
                    .newInstance(Path.of(file)))
            .getFooter()
            .getBlocks()
            .size();
    assertThat(rowGroups).as("row groups in the file").isGreaterThanOrEqualTo(25);
    try (io.spill.testkit.ChildJvm child =
        new io.spill.testkit.ChildJvm(1024, OpenFilesChild.class, "1g", file)) {
      assertThat(child.awaitExit(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(child.output()).contains("rows=3000");
    }
  }

  @Test
  void manyRowGroupsPagesAndBatches() throws Exception {
    spark().conf().set("spark.sql.files.maxRecordsPerFile", "40000");
    try {
      roundTrip(
          spark()
              .sql(
                  "SELECT id, CASE WHEN id % 11 = 0 THEN NULL ELSE id % 7 END AS small,"
                      + " concat('v', id % 1000) AS dict, concat('unique-', id) AS plain,"
                      + " CAST(id AS DOUBLE) / 3 AS d, id % 2 = 0 AS b, CAST(id % 128 AS TINYINT) AS t,"
                      + " CAST(id % 30000 AS SMALLINT) AS s, DATE'2020-01-01' + CAST(id % 999 AS INT) AS day"
                      + " FROM range(0, 100000, 1, 2)"),
          "many");
    } finally {
      spark().conf().unset("spark.sql.files.maxRecordsPerFile");
    }
  }

  /**
   * Spark writes ANSI intervals as plain INT32 months and INT64 microseconds: with the Spark schema
   * the files came with they read as Spark's own Arrow types (nested and at the extremes), and
   * Spark reads them back as intervals; without it they are the integers they are.
   */
  @Test
  void ansiIntervalsReadAsIntervalAndDurationAndGoBackToSparkAsIntervals() throws Exception {
    Dataset<Row> source =
        spark()
            .sql(
                "SELECT id,"
                    + " CASE WHEN id % 3 = 0 THEN NULL ELSE make_ym_interval(CAST(id AS INT), 2) END AS ym,"
                    + " make_dt_interval(id, 4, 5, 6.000007) AS dt,"
                    + " named_struct('m', make_ym_interval(0, CAST(id AS INT))) AS s,"
                    + " array(make_dt_interval(0, 0, 0, id), NULL) AS a,"
                    + " INTERVAL '178956970-7' YEAR TO MONTH AS ym_max,"
                    + " INTERVAL '-178956970-8' YEAR TO MONTH AS ym_min,"
                    + " INTERVAL '106751991 04:00:54.775807' DAY TO SECOND AS dt_max,"
                    + " INTERVAL '-106751991 04:00:54.775808' DAY TO SECOND AS dt_min"
                    + " FROM range(0, 300, 1, 2)");
    roundTrip(source, "intervals");

    List<String> files = write(source, "intervals-read");
    Dataset<Row> df = spark().read().parquet(dir.resolve("intervals-read").toUri().toString());
    List<Row> rows = df.orderBy("id").collectAsList();
    try (ArrowFrame frame = engine.read(files, SparkSchemas.of(df.schema()), false)) {
      var schema = frame.schema();
      assertThat(schema.findField("ym").getType())
          .isEqualTo(
              new org.apache.arrow.vector.types.pojo.ArrowType.Interval(
                  org.apache.arrow.vector.types.IntervalUnit.YEAR_MONTH));
      assertThat(schema.findField("dt").getType())
          .isEqualTo(
              new org.apache.arrow.vector.types.pojo.ArrowType.Duration(
                  org.apache.arrow.vector.types.TimeUnit.MICROSECOND));
      assertThat(schema.findField("s").getChildren().get(0).getType())
          .isEqualTo(schema.findField("ym").getType());
      assertThat(schema.findField("a").getChildren().get(0).getType())
          .isEqualTo(schema.findField("dt").getType());
      java.util.Map<Long, Object[]> seen = new java.util.HashMap<>();
      for (var batch : frame.batches()) {
        for (int i = 0; i < batch.getRowCount(); i++) {
          seen.put(
              (Long) batch.getVector("id").getObject(i),
              new Object[] {
                batch.getVector("ym").getObject(i), micros(batch.getVector("dt"), i),
                batch.getVector("ym_max").getObject(i), batch.getVector("ym_min").getObject(i),
                micros(batch.getVector("dt_max"), i), micros(batch.getVector("dt_min"), i)
              });
        }
      }
      assertThat(seen).hasSize(300);
      for (Row r : rows) {
        Object[] v = seen.get(r.getLong(0));
        java.time.Period ym = r.getAs("ym");
        assertThat(v[0] == null ? null : ((java.time.Period) v[0]).toTotalMonths())
            .isEqualTo(ym == null ? null : ym.toTotalMonths());
        assertThat(v[1]).isEqualTo(micros(r.getAs("dt")));
        assertThat(((java.time.Period) v[2]).toTotalMonths())
            .isEqualTo(((java.time.Period) r.getAs("ym_max")).toTotalMonths())
            .isEqualTo(Integer.MAX_VALUE);
        assertThat(((java.time.Period) v[3]).toTotalMonths()).isEqualTo(Integer.MIN_VALUE);
        assertThat(v[4]).isEqualTo(micros(r.getAs("dt_max"))).isEqualTo(Long.MAX_VALUE);
        assertThat(v[5]).isEqualTo(micros(r.getAs("dt_min"))).isEqualTo(Long.MIN_VALUE);
      }
    }
    try (ArrowFrame plain = engine.read(files, null, true)) {
      assertThat(plain.schema().findField("ym").getType())
          .isEqualTo(new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true));
      assertThat(plain.schema().findField("dt").getType())
          .isEqualTo(new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true));
    }
  }

  /**
   * Dictionary-encoded columns of every fixed width, negative decimals (their sign extended to 128
   * bits), nulls between runs, and batches of 100 rows, so that runs start and end inside validity
   * bytes.
   */
  @Test
  void dictionaryEncodedColumnsAcrossBatchAndValidityByteBoundaries() throws Exception {
    Dataset<Row> source =
        spark()
            .sql(
                "SELECT id,"
                    + " CASE WHEN id % 11 = 0 THEN NULL ELSE CAST(id % 7 - 3 AS DECIMAL(18, 2)) END AS d18,"
                    + " CAST(id % 5 - 2 AS DECIMAL(9, 3)) AS d9,"
                    + " CASE WHEN id % 13 < 3 THEN NULL ELSE CAST(id % 5 AS FLOAT) / 3 END AS f,"
                    + " CAST(id % 6 AS DOUBLE) / 7 AS dbl, CAST(id % 9 - 4 AS INT) AS i,"
                    + " CAST(id % 3 AS TINYINT) AS b, CAST(id % 4 - 2 AS SMALLINT) AS sh,"
                    + " TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, CAST(id % 4 AS INT)) AS ts,"
                    + " date_add(DATE '2020-01-01', CAST(id % 10 AS INT)) AS day"
                    + " FROM range(0, 5000, 1, 2)");
    roundTrip(source, "dictionary");
    // Spark writes DECIMAL(18, 2) as INT64, so a write back cannot show a wrong upper half:
    // the values in the vectors can
    java.util.Map<Long, Row> expected = new java.util.HashMap<>();
    source.collectAsList().forEach(r -> expected.put(r.getLong(0), r));
    try (ArrowFrame frame = engine.read(write(source, "dictionary-values"), null, false)) {
      int rows = 0;
      for (var batch : frame.batches()) {
        for (int i = 0; i < batch.getRowCount(); i++, rows++) {
          Row r = expected.get((Long) batch.getVector("id").getObject(i));
          for (String c : List.of("d18", "d9", "f", "dbl", "i", "sh")) {
            Object v = batch.getVector(c).getObject(i);
            Object want = r.getAs(c);
            assertThat(v == null ? null : v.toString())
                .as(c)
                .isEqualTo(want == null ? null : want.toString());
          }
        }
      }
      assertThat(rows).isEqualTo(5000);
    }
  }

  /** The microseconds a Duration(MICROSECOND) vector holds (its getObject saturates). */
  private static Long micros(org.apache.arrow.vector.FieldVector v, int i) {
    return v.isNull(i) ? null : org.apache.arrow.vector.DurationVector.get(v.getDataBuffer(), i);
  }

  private static long micros(java.time.Duration d) {
    return java.math.BigInteger.valueOf(d.getSeconds())
        .multiply(java.math.BigInteger.valueOf(1_000_000))
        .add(java.math.BigInteger.valueOf(d.getNano() / 1000))
        .longValueExact();
  }

  /**
   * Intervals of fewer fields go back as their own type, with the same value: Arrow's interval
   * types have no fields, so the engine keeps Spark's type from the schema spill passes.
   */
  @Test
  void singleFieldIntervalsGoBackAsTheirOwnType() throws Exception {
    Dataset<Row> source =
        spark()
            .sql(
                "SELECT CAST(INTERVAL '5' HOUR AS INTERVAL HOUR) AS h,"
                    + " CAST(INTERVAL '7' MONTH AS INTERVAL MONTH) AS m");
    List<String> files = write(source, "single");
    try (ArrowFrame frame = engine.read(files, SparkSchemas.of(source.schema()), false)) {
      Dataset<Row> back = WrittenBack.write(engine, frame, dir.resolve("single-back"));
      assertThat(back.schema().fields())
          .extracting(f -> f.dataType().sql())
          .containsExactly("INTERVAL HOUR", "INTERVAL MONTH");
      Row r = back.first();
      assertThat(r.<java.time.Duration>getAs("h")).isEqualTo(java.time.Duration.ofHours(5));
      assertThat(r.<java.time.Period>getAs("m").toTotalMonths()).isEqualTo(7);
    }
  }

  /** Spark's TIME (behind spark.sql.timeType.enabled in Spark 4.2) is Time(MICRO, 64) and back. */
  @Test
  void sparkTimeReadsAsTimeMicroAndGoesBack() throws Exception {
    spark().conf().set("spark.sql.timeType.enabled", "true");
    engine.sparkReadsTime(true); // what spill tells the engine for this session
    try {
      Dataset<Row> source =
          spark()
              .sql(
                  "SELECT id, CASE WHEN id % 4 = 0 THEN NULL ELSE"
                      + " make_time(CAST(id % 24 AS INT), 34, 56.123456) END AS t,"
                      + " TIME'23:59:59.999999' AS t_max, TIME'00:00:00' AS t_min,"
                      + " named_struct('t', TIME'12:00:00.000001') AS s FROM range(0, 50)");
      roundTrip(source, "times");
      List<String> files = write(source, "times-read");
      try (ArrowFrame frame = engine.read(files, SparkSchemas.of(source.schema()), false)) {
        assertThat(frame.schema().findField("t").getType())
            .isEqualTo(
                new org.apache.arrow.vector.types.pojo.ArrowType.Time(
                    org.apache.arrow.vector.types.TimeUnit.MICROSECOND, 64));
        var batch = frame.batches().get(0);
        assertThat(batch.getVector("t_max").getObject(0))
            .isEqualTo(java.time.LocalTime.parse("23:59:59.999999").toNanoOfDay() / 1000);
      }
    } finally {
      spark().conf().unset("spark.sql.timeType.enabled");
    }
  }
}
