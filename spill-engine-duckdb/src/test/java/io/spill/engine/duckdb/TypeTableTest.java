package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.UnsupportedColumnTypeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every Spark type Spark → DuckDB → Spark and every DuckDB type DuckDB → Spark on a real
 * local Spark, checks each against what this class says should happen, and writes the table of
 * outcomes into {@code target/reports/TYPES.md}, which must equal {@code docs/TYPES.md}: the
 * documentation says exactly what the test measured (to change it, copy the new table there). A
 * case either arrives equal (same type, same values), arrives changed (a named type, the values
 * compared as text), or is refused with an error naming the column; anything else fails the test.
 */
class TypeTableTest extends DevSpillerTest {
  private static final Path DOCS = Path.of("..", "docs", "TYPES.md").toAbsolutePath().normalize();
  private static final Path MEASURED = Path.of("target", "reports", "TYPES.md").toAbsolutePath();
  private static final Map<Integer, String> SPARK_ROWS = new ConcurrentHashMap<>();
  private static final Map<Integer, String> DUCK_ROWS = new ConcurrentHashMap<>();

  /**
   * A Spark type sent to DuckDB and back.
   *
   * @param values Spark SQL expressions, one row each, all of the type
   * @param duckType the type DuckDB sees
   * @param back null when the type comes back as it was; else the Spark type it comes back as
   *     (values compared as text), or {@code "refused: <fragment>"}
   * @param note what a user should know, for the table
   */
  record SparkCase(
      int order,
      List<String> values,
      String duckType,
      String back,
      String note,
      Map<String, String> conf) {
    SparkCase(int order, List<String> values, String duckType, String back, String note) {
      this(order, values, duckType, back, note, Map.of());
    }

    @Override
    public String toString() {
      return values.get(0);
    }
  }

  /**
   * A DuckDB type sent to Spark.
   *
   * @param value a DuckDB SQL expression of the type
   * @param expected a Spark SQL expression equal to what must arrive, or {@code "refused:
   *     <fragment>"}
   */
  record DuckCase(int order, String value, String expected, String note) {
    @Override
    public String toString() {
      return value;
    }
  }

  static List<SparkCase> sparkCases() {
    String ts = "TIMESTAMP'0001-01-01 00:00:00.000001Z'";
    String tsHigh = "TIMESTAMP'9999-12-31 23:59:59.999999Z'";
    String ntz = "TIMESTAMP_NTZ'0001-01-01 00:00:00.000001'";
    String ntzHigh = "TIMESTAMP_NTZ'9999-12-31 23:59:59.999999'";
    String intervals =
        "the months or microseconds Spark writes become a DuckDB INTERVAL; DuckDB's"
            + " INTERVAL cannot go back (see below)";
    int i = 0;
    return List.of(
        new SparkCase(i++, List.of("true", "false"), "BOOLEAN", null, ""),
        new SparkCase(
            i++, List.of("CAST(-128 AS TINYINT)", "CAST(127 AS TINYINT)"), "TINYINT", null, ""),
        new SparkCase(
            i++,
            List.of("CAST(-32768 AS SMALLINT)", "CAST(32767 AS SMALLINT)"),
            "SMALLINT",
            null,
            ""),
        new SparkCase(i++, List.of("-2147483648", "2147483647"), "INTEGER", null, ""),
        new SparkCase(
            i++, List.of("-9223372036854775808L", "9223372036854775807L"), "BIGINT", null, ""),
        new SparkCase(
            i++,
            List.of(
                "CAST('NaN' AS FLOAT)",
                "CAST('-Infinity' AS FLOAT)",
                "CAST(3.4028235E38 AS FLOAT)",
                "CAST(-0.0 AS FLOAT)"),
            "FLOAT",
            null,
            "NaN, infinities and -0.0 included"),
        new SparkCase(
            i++,
            List.of(
                "CAST('NaN' AS DOUBLE)",
                "CAST('Infinity' AS DOUBLE)",
                "1.7976931348623157E308D",
                "4.9E-324D"),
            "DOUBLE",
            null,
            ""),
        new SparkCase(
            i++,
            List.of("CAST(-9 AS DECIMAL(1,0))", "CAST(9 AS DECIMAL(1,0))"),
            "DECIMAL(1,0)",
            null,
            ""),
        new SparkCase(
            i++,
            List.of("CAST('-9999999999999999.99' AS DECIMAL(18,2))"),
            "DECIMAL(18,2)",
            null,
            ""),
        new SparkCase(
            i++,
            List.of(
                "CAST('99999999999999999999999999999999999999' AS" + " DECIMAL(38,0))",
                "CAST('-99999999999999999999999999999999999999' AS" + " DECIMAL(38,0))"),
            "DECIMAL(38,0)",
            null,
            "the widest precision"),
        new SparkCase(
            i++,
            List.of("CAST('-0.00000000000000000000000000000000000001' AS" + " DECIMAL(38,38))"),
            "DECIMAL(38,38)",
            null,
            "the largest scale"),
        new SparkCase(
            i++, List.of("'Grüße, 世界 🚀'", "''", "'\\'quote\" \\\\'"), "VARCHAR", null, ""),
        new SparkCase(
            i++,
            List.of("CAST('ab' AS CHAR(5))"),
            "VARCHAR",
            null,
            "Spark 4 types CAST(.. AS CHAR(n)) and VARCHAR(n) in queries as STRING (unless"
                + " spark.sql.preserveCharVarcharTypeInfo); CHAR's padding is kept"),
        new SparkCase(
            i++,
            List.of("CAST('ab' AS CHAR(5))"),
            "VARCHAR",
            "STRING",
            "with spark.sql.preserveCharVarcharTypeInfo=true; Parquet has no CHAR, the padded"
                + " value comes back as a STRING",
            Map.of("spark.sql.preserveCharVarcharTypeInfo", "true")),
        new SparkCase(
            i++,
            List.of("CAST('ab' AS VARCHAR(5))"),
            "VARCHAR",
            "STRING",
            "with spark.sql.preserveCharVarcharTypeInfo=true; back as a STRING",
            Map.of("spark.sql.preserveCharVarcharTypeInfo", "true")),
        new SparkCase(
            i++,
            List.of("TIME'12:34:56.123456'"),
            "TIME",
            "refused: column 'c' has DuckDB type TIME",
            "with spark.sql.timeType.enabled=true (off by default in Spark 4.2)",
            Map.of("spark.sql.timeType.enabled", "true")),
        new SparkCase(i++, List.of("X''", "X'00FF'"), "BLOB", null, ""),
        new SparkCase(
            i++,
            List.of("DATE'0001-01-01'", "DATE'9999-12-31'", "DATE'1582-10-04'"),
            "DATE",
            null,
            "before the Gregorian switch too"),
        new SparkCase(
            i++,
            List.of(ts, tsHigh),
            "TIMESTAMP WITH TIME ZONE",
            null,
            "an instant; DuckDB computes in Spark's session time zone"),
        new SparkCase(i++, List.of(ntz, ntzHigh), "TIMESTAMP", null, "a local date-time"),
        new SparkCase(
            i++,
            List.of("INTERVAL '178956970-7' YEAR TO MONTH", "INTERVAL '-1-2' YEAR TO MONTH"),
            "INTERVAL",
            "refused: column 'c' has DuckDB type INTERVAL",
            intervals),
        new SparkCase(
            i++,
            List.of(
                "INTERVAL '106751991 04:00:54.775807' DAY TO SECOND",
                "INTERVAL '-3 04:05:06.000001' DAY TO SECOND"),
            "INTERVAL",
            "refused: column 'c' has DuckDB type INTERVAL",
            intervals),
        new SparkCase(
            i++,
            List.of("INTERVAL '5' HOUR"),
            "INTERVAL",
            "refused: column 'c' has DuckDB type INTERVAL",
            intervals),
        new SparkCase(
            i++,
            List.of("make_interval(1, 2)"),
            "",
            "refused: legacy INTERVAL type",
            "refused before anything is written"),
        new SparkCase(i++, List.of("array(1, NULL, 3)", "array()"), "INTEGER[]", null, ""),
        new SparkCase(i++, List.of("array(array('a'), NULL)"), "VARCHAR[][]", null, ""),
        new SparkCase(
            i++, List.of("map('k', 1L, 'ü', NULL)", "map()"), "MAP(VARCHAR, BIGINT)", null, ""),
        new SparkCase(
            i++,
            List.of("named_struct('a', 1, 't', " + ts + ", 'n', CAST(NULL AS" + " STRING))"),
            "STRUCT(a INTEGER, t TIMESTAMP WITH TIME ZONE, n VARCHAR)",
            null,
            ""),
        new SparkCase(
            i++,
            List.of("array(named_struct('m', map(" + ts + ", array(" + ntz + "))))"),
            "STRUCT(m MAP(TIMESTAMP WITH TIME ZONE, TIMESTAMP[]))[]",
            null,
            "instants stay instants at any depth"),
        new SparkCase(
            i++,
            List.of("parse_json('{\"a\": [1, \"x\"]}')"),
            "VARIANT",
            "refused: column 'c' has DuckDB type VARIANT",
            "DuckDB reads Spark's VARIANT; back, the error says CAST(col AS JSON)"),
        new SparkCase(
            i++,
            List.of("NULL"),
            "\"NULL\"",
            "refused: column 'c' has DuckDB type",
            "a VOID column; the error says to give it a type"));
  }

  static List<DuckCase> duckCases() {
    int i = 0;
    return List.of(
        new DuckCase(i++, "true", "true", ""),
        new DuckCase(i++, "(-128)::TINYINT", "CAST(-128 AS TINYINT)", ""),
        new DuckCase(i++, "32767::SMALLINT", "CAST(32767 AS SMALLINT)", ""),
        new DuckCase(i++, "2147483647::INTEGER", "2147483647", ""),
        new DuckCase(i++, "'-9223372036854775808'::BIGINT", "-9223372036854775808L", ""),
        new DuckCase(i++, "255::UTINYINT", "CAST(255 AS SMALLINT)", "widened"),
        new DuckCase(i++, "65535::USMALLINT", "65535", "widened"),
        new DuckCase(i++, "4294967295::UINTEGER", "4294967295L", "widened"),
        new DuckCase(
            i++,
            "18446744073709551615::UBIGINT",
            "CAST('18446744073709551615' AS DECIMAL(20,0))",
            "widened"),
        new DuckCase(
            i++,
            "sum(x) FROM range(10) t(x)",
            "CAST(45 AS BIGINT)",
            "HUGEINT (every integer sum): BIGINT when all values fit"),
        new DuckCase(
            i++,
            "9223372036854775808::HUGEINT",
            "CAST('9223372036854775808' AS DECIMAL(38,0))",
            "HUGEINT beyond BIGINT"),
        new DuckCase(
            i++,
            "'100000000000000000000000000000000000000'::HUGEINT",
            "refused: beyond Spark's widest exact number",
            "HUGEINT beyond 38 digits"),
        new DuckCase(i++, "1::UHUGEINT", "CAST(1 AS BIGINT)", "as HUGEINT"),
        new DuckCase(i++, "3.4028235e38::FLOAT", "CAST(3.4028235E38 AS FLOAT)", ""),
        new DuckCase(i++, "'-inf'::DOUBLE", "CAST('-Infinity' AS DOUBLE)", ""),
        new DuckCase(i++, "123.4::DECIMAL(4,1)", "CAST(123.4 AS DECIMAL(4,1))", ""),
        new DuckCase(
            i++,
            "'12345678901234567890.1234567890'::DECIMAL(38,10)",
            "CAST('12345678901234567890.1234567890' AS DECIMAL(38,10))",
            ""),
        new DuckCase(i++, "'text ✓'", "'text ✓'", ""),
        new DuckCase(i++, "'\\x00\\xFF'::BLOB", "X'00FF'", ""),
        new DuckCase(i++, "'101'::BIT", "refused: CAST(col AS VARCHAR)", ""),
        new DuckCase(
            i++,
            "'6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID",
            "'6ba7b810-9dad-11d1-80b4-00c04fd430c8'",
            "as text"),
        new DuckCase(i++, "'{\"a\": 1}'::JSON", "'{\"a\": 1}'", "as text"),
        new DuckCase(i++, "'b'::ENUM('a', 'b')", "'b'", "as text"),
        new DuckCase(i++, "DATE '1582-10-04'", "DATE'1582-10-04'", ""),
        new DuckCase(i++, "'infinity'::DATE", "refused: holds infinity", ""),
        new DuckCase(i++, "TIME '12:34:56.123456'", "refused: epoch_us(col)", ""),
        new DuckCase(i++, "TIMETZ '12:34:56+02'", "refused: TIME in UTC", ""),
        new DuckCase(
            i++,
            "TIMESTAMP '2024-03-31 02:30:00.123456'",
            "TIMESTAMP_NTZ'2024-03-31 02:30:00.123456'",
            "a local date-time"),
        new DuckCase(i++, "'-infinity'::TIMESTAMP", "refused: holds infinity", ""),
        new DuckCase(
            i++, "TIMESTAMP_S '2024-01-01 00:00:01'", "TIMESTAMP_NTZ'2024-01-01 00:00:01'", ""),
        new DuckCase(
            i++,
            "TIMESTAMP_MS '2024-01-01 00:00:01.123'",
            "TIMESTAMP_NTZ'2024-01-01 00:00:01.123'",
            ""),
        new DuckCase(
            i++,
            "TIMESTAMP_NS '2024-01-01 00:00:01.123456789'",
            "TIMESTAMP_NTZ'2024-01-01 00:00:01.123456'",
            "nanoseconds truncated under TimestampPolicy.TRUNCATE (the default)"),
        new DuckCase(
            i++,
            "make_timestamp_ns(-9223372036854775806)",
            "TIMESTAMP_NTZ'1677-09-21 00:12:43.145224'",
            "the smallest TIMESTAMP_NS"),
        new DuckCase(i++, "'infinity'::TIMESTAMP_NS", "refused: holds infinity", ""),
        new DuckCase(
            i++,
            "TIMESTAMPTZ '2024-03-31 01:30:00.5+00'",
            "TIMESTAMP'2024-03-31 01:30:00.5Z'",
            "an instant"),
        new DuckCase(i++, "INTERVAL 3 DAY", "refused: epoch_us(col)", ""),
        new DuckCase(i++, "[1, NULL]::INTEGER[]", "array(1, NULL)", ""),
        new DuckCase(i++, "[1, 2]::INTEGER[2]", "array(1, 2)", "a fixed-size ARRAY as a list"),
        new DuckCase(
            i++,
            "{'a': 1, 'b': [TIMESTAMP_NS '2024-01-01 00:00:00.000000001']}",
            "named_struct('a', 1, 'b', array(TIMESTAMP_NTZ'2024-01-01 00:00:00'))",
            ""),
        new DuckCase(i++, "MAP {'k': 1}", "map('k', 1)", ""),
        new DuckCase(
            i++,
            "MAP {TIMESTAMP_NS '2024-01-01 00:00:00.000000001': 1,"
                + " TIMESTAMP_NS '2024-01-01 00:00:00.000000002': 2}",
            "refused: two keys of the map at 'c' become equal",
            "keys equal after truncation"),
        new DuckCase(
            i++, "union_value(n := 1)::UNION(n INTEGER, s VARCHAR)", "refused: union_extract", ""),
        new DuckCase(i++, "1::VARIANT", "refused: CAST(col AS JSON)", ""),
        new DuckCase(i++, "'1'::BIGNUM", "refused: CAST(col AS VARCHAR)", ""),
        new DuckCase(i++, "NULL", "refused: CAST(NULL AS VARCHAR)", "an untyped NULL"));
  }

  @ParameterizedTest(name = "Spark {0}")
  @MethodSource("sparkCases")
  void sparkTypes(SparkCase c) {
    Map<String, String> before = new java.util.HashMap<>();
    c.conf()
        .forEach(
            (k, v) -> {
              before.put(k, spark().conf().get(k, null));
              spark().conf().set(k, v);
            });
    try {
      sparkType(c);
    } finally {
      before.forEach(
          (k, v) -> {
            if (v == null) {
              spark().conf().unset(k);
            } else {
              spark().conf().set(k, v);
            }
          });
    }
  }

  private void sparkType(SparkCase c) {
    Dataset<Row> df =
        spark()
            .sql(
                String.join(
                    " UNION ALL ", c.values().stream().map(v -> "SELECT " + v + " AS c").toList()));
    String sparkType = typeOf(df);
    String sample = String.join(", ", c.values());
    DuckDbFrame frame;
    try {
      frame = spill.sparkToEngine(df);
    } catch (UnsupportedColumnTypeException e) {
      assertThat(c.back()).startsWith("refused: ");
      assertThat(e.getMessage()).contains("column 'c'").contains(c.back().substring(9));
      record(
          SPARK_ROWS,
          c.order(),
          sparkType,
          sample,
          "–",
          "–",
          "refused: " + e.getMessage(),
          c.note());
      return;
    }
    String duckType = frame.columnTypes().get("c");
    assertThat(duckType).isEqualTo(c.duckType());
    String outcome;
    String backType;
    try {
      Dataset<Row> back = spill.engineToSpark(frame);
      backType = typeOf(back);
      if (c.back() == null) {
        assertThat(backType).isEqualTo(sparkType);
        assertThat(back.collectAsList()).containsExactlyInAnyOrderElementsOf(df.collectAsList());
        outcome = "equal";
      } else {
        assertThat(c.back()).doesNotStartWith("refused");
        assertThat(backType).isEqualTo(c.back());
        assertThat(back.selectExpr("CAST(c AS STRING)").collectAsList())
            .containsExactlyInAnyOrderElementsOf(
                df.selectExpr("CAST(c AS STRING)").collectAsList());
        outcome = "changed type, same values as text";
      }
    } catch (UnsupportedColumnTypeException e) {
      assertThat(c.back()).as(e.getMessage()).isNotNull().startsWith("refused: ");
      assertThat(e.getMessage()).contains(c.back().substring(9));
      backType = "–";
      outcome = "refused: " + e.getMessage();
    }
    record(SPARK_ROWS, c.order(), sparkType, sample, duckType, backType, outcome, c.note());
  }

  @ParameterizedTest(name = "DuckDB {0}")
  @MethodSource("duckCases")
  void duckDbTypes(DuckCase c) {
    DuckDbFrameEngine duck = spill.engine(DuckDbFrameEngine.class);
    String query =
        c.value().contains(" FROM ")
            ? "SELECT " + c.value().replace(" FROM ", " AS c FROM ")
            : "SELECT " + c.value() + " AS c";
    DuckDbFrame frame = duck.sql(query);
    String duckType = frame.columnTypes().get("c");
    String outcome;
    String sparkType;
    try {
      Dataset<Row> back = spill.engineToSpark(frame);
      assertThat(c.expected()).as("expected a refusal").doesNotStartWith("refused");
      Dataset<Row> expected = spark().sql("SELECT " + c.expected() + " AS c");
      sparkType = typeOf(back);
      assertThat(sparkType).isEqualTo(typeOf(expected));
      assertThat(back.collectAsList()).containsExactlyElementsOf(expected.collectAsList());
      outcome = "arrives as " + c.expected();
    } catch (UnsupportedColumnTypeException e) {
      assertThat(c.expected()).as(e.getMessage()).startsWith("refused: ");
      assertThat(e.getMessage()).contains("'c'").contains(c.expected().substring(9));
      sparkType = "–";
      outcome = "refused: " + e.getMessage();
    }
    record(DUCK_ROWS, c.order(), duckType, c.value(), sparkType, null, outcome, c.note());
  }

  /** The type of column c; nullability aside, which Parquet round trips do not keep. */
  private static String typeOf(Dataset<Row> df) {
    return df.schema().fields()[0].dataType().sql().replace(" NOT NULL", "");
  }

  private static void record(Map<Integer, String> rows, int order, String... cells) {
    StringBuilder row = new StringBuilder("|");
    for (String cell : cells) {
      if (cell != null) {
        row.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
      }
    }
    rows.put(order, row.toString());
  }

  @AfterAll
  static void writeTable() throws IOException {
    if (SPARK_ROWS.size() != sparkCases().size() || DUCK_ROWS.size() != duckCases().size()) {
      System.out.println("TypeTableTest: not every case ran, so docs/TYPES.md was not compared");
      return;
    }
    StringBuilder out =
        new StringBuilder(
            """
        # Types

        What each type becomes through spill with the DuckDB engine, measured on a real local
        Spark %s with DuckDB %s. `TypeTableTest` in `spill-engine-duckdb` measures this table
        and fails if this file differs. Each row is a case the test checks: *equal* means the
        same type and the same values came back, a refusal is an
        `UnsupportedColumnTypeException` whose message names the column and the fix (shown as
        the test saw it). Nothing else may happen: a value never changes silently.

        ## Spark → DuckDB → Spark

        | Spark type | Values sent | In DuckDB | Back in Spark | Outcome | Note |
        |---|---|---|---|---|---|
        """
                .formatted(spark().version(), duckDbVersion()));
    new TreeMap<>(SPARK_ROWS).values().forEach(r -> out.append(r).append('\n'));
    out.append(
        """

        ## DuckDB → Spark

        Spark reads what DuckDB writes as Parquet; spill first converts, or refuses, the types
        Spark cannot read. `HUGEINT` and the infinity checks look at the values, so the type or
        the refusal can depend on the data; a query that needs a fixed type casts explicitly.

        | DuckDB type | Value | In Spark | Outcome | Note |
        |---|---|---|---|---|
        """);
    new TreeMap<>(DUCK_ROWS).values().forEach(r -> out.append(r).append('\n'));
    Files.createDirectories(MEASURED.getParent());
    Files.writeString(MEASURED, out.toString(), StandardCharsets.UTF_8);
    assertThat(Files.readString(DOCS, StandardCharsets.UTF_8))
        .as(
            "docs/TYPES.md says what this test measured; if the change is intended, copy %s to"
                + " docs/TYPES.md",
            MEASURED)
        .isEqualTo(out.toString());
  }

  private static String duckDbVersion() {
    try (DuckDbFrameEngine engine = DuckDbEngine.create()) {
      return engine.queryRow("SELECT version()").get(0);
    }
  }
}
