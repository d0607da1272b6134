package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillException;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.testkit.SparkTypeSamples;
import io.spill.testkit.SparkTypeSamples.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every Spark type Spark → DuckDB → Spark and every DuckDB type DuckDB → Spark on a real
 * local Spark, checks each against what this class says should happen, and writes the table of
 * outcomes into {@code target/reports/TYPES-duckdb.md}, which must equal its section of {@code
 * docs/TYPES.md}: the documentation says exactly what the test measured (to change it, copy the new
 * table there). A case either arrives equal (same type, same values), arrives changed (a named
 * type, the values compared as text), or is refused with an error naming the column; anything else
 * fails the test.
 */
class TypeTableTest {
  @TempDir static Path tmp;
  private static VolumeSpiller<DuckDbFrame> spill; // one for all cases: a spiller per case costs

  @BeforeAll
  static void openSpiller() {
    spill = SpillerFixture.spiller(tmp.resolve("volume"), tmp.resolve("local"), Mode.DEV);
  }

  @AfterAll
  static void closeSpiller() {
    spill.close();
  }

  private static final Map<Integer, String> SPARK_ROWS = new ConcurrentHashMap<>();
  private static final Map<Integer, String> DUCK_ROWS = new ConcurrentHashMap<>();

  /**
   * What happens to a Spark type sent to DuckDB and back.
   *
   * @param duckType the type DuckDB sees
   * @param back null when the type comes back as it was; else the Spark type it comes back as
   *     (values compared as text), or {@code "refused: <fragment>"}
   * @param note what a user should know, for the table
   */
  record SparkCase(String duckType, String back, String note) {}

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

  private static final String INTERVALS =
      "the months or microseconds Spark writes become a DuckDB INTERVAL; DuckDB's INTERVAL"
          + " cannot go back (see below)";

  /** The outcome this test expects for each sample of {@link SparkTypeSamples#all()}. */
  private static final Map<String, SparkCase> SPARK_CASES =
      Map.ofEntries(
          Map.entry("BOOLEAN", new SparkCase("BOOLEAN", null, "")),
          Map.entry("TINYINT", new SparkCase("TINYINT", null, "")),
          Map.entry("SMALLINT", new SparkCase("SMALLINT", null, "")),
          Map.entry("INT", new SparkCase("INTEGER", null, "")),
          Map.entry("BIGINT", new SparkCase("BIGINT", null, "")),
          Map.entry("FLOAT", new SparkCase("FLOAT", null, "NaN, infinities and -0.0 included")),
          Map.entry("DOUBLE", new SparkCase("DOUBLE", null, "")),
          Map.entry("DECIMAL(1,0)", new SparkCase("DECIMAL(1,0)", null, "")),
          Map.entry("DECIMAL(18,2)", new SparkCase("DECIMAL(18,2)", null, "")),
          Map.entry("DECIMAL(38,0)", new SparkCase("DECIMAL(38,0)", null, "the widest precision")),
          Map.entry("DECIMAL(38,38)", new SparkCase("DECIMAL(38,38)", null, "the largest scale")),
          Map.entry("STRING", new SparkCase("VARCHAR", null, "")),
          Map.entry(
              "CHAR in a query",
              new SparkCase(
                  "VARCHAR",
                  null,
                  "Spark 4 types CAST(.. AS CHAR(n)) and VARCHAR(n) in queries as STRING (unless"
                      + " spark.sql.preserveCharVarcharTypeInfo); CHAR's padding is kept")),
          Map.entry(
              "CHAR(5)",
              new SparkCase(
                  "VARCHAR",
                  "STRING",
                  "with spark.sql.preserveCharVarcharTypeInfo=true; Parquet has no CHAR, the"
                      + " padded value comes back as a STRING")),
          Map.entry(
              "VARCHAR(5)",
              new SparkCase(
                  "VARCHAR",
                  "STRING",
                  "with spark.sql.preserveCharVarcharTypeInfo=true; back as a STRING")),
          Map.entry(
              "TIME(6)",
              new SparkCase(
                  "TIME",
                  null,
                  "with spark.sql.timeType.enabled=true (off by default in Spark 4.2; without"
                      + " it, a DuckDB TIME is refused, see below)")),
          Map.entry("BINARY", new SparkCase("BLOB", null, "")),
          Map.entry("DATE", new SparkCase("DATE", null, "before the Gregorian switch too")),
          Map.entry(
              "TIMESTAMP",
              new SparkCase(
                  "TIMESTAMP WITH TIME ZONE",
                  null,
                  "an instant; DuckDB computes in Spark's session time zone")),
          Map.entry("TIMESTAMP_NTZ", new SparkCase("TIMESTAMP", null, "a local date-time")),
          Map.entry(
              "INTERVAL YEAR TO MONTH",
              new SparkCase("INTERVAL", "refused: column 'c' has DuckDB type INTERVAL", INTERVALS)),
          Map.entry(
              "INTERVAL DAY TO SECOND",
              new SparkCase("INTERVAL", "refused: column 'c' has DuckDB type INTERVAL", INTERVALS)),
          Map.entry(
              "INTERVAL HOUR",
              new SparkCase("INTERVAL", "refused: column 'c' has DuckDB type INTERVAL", INTERVALS)),
          Map.entry(
              "legacy INTERVAL",
              new SparkCase(
                  "", "refused: legacy INTERVAL type", "refused before anything is written")),
          Map.entry("ARRAY<INT>", new SparkCase("INTEGER[]", null, "")),
          Map.entry("ARRAY<ARRAY<STRING>>", new SparkCase("VARCHAR[][]", null, "")),
          Map.entry("MAP<STRING, BIGINT>", new SparkCase("MAP(VARCHAR, BIGINT)", null, "")),
          Map.entry(
              "STRUCT",
              new SparkCase("STRUCT(a INTEGER, t TIMESTAMP WITH TIME ZONE, n VARCHAR)", null, "")),
          Map.entry(
              "nested timestamps",
              new SparkCase(
                  "STRUCT(m MAP(TIMESTAMP WITH TIME ZONE, TIMESTAMP[]))[]",
                  null,
                  "instants stay instants at any depth")),
          Map.entry(
              "VARIANT",
              new SparkCase(
                  "VARIANT",
                  "refused: column 'c' has DuckDB type VARIANT",
                  "DuckDB reads Spark's VARIANT; back, the error says CAST(col AS JSON)")),
          Map.entry(
              "VOID",
              new SparkCase(
                  "\"NULL\"",
                  "refused: column 'c' has DuckDB type",
                  "a VOID column; the error says to give it a type")));

  static List<Sample> sparkCases() {
    return SparkTypeSamples.all();
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
  void sparkTypes(Sample sample) {
    SparkCase c = SPARK_CASES.get(sample.key());
    assertThat(c).as("an outcome declared for " + sample.key()).isNotNull();
    sample.withConf(
        () -> {
          sparkType(sample, c);
          return null;
        });
  }

  /** What a transfer gave: DuckDB's type, Spark's type back, and the outcome as the table says. */
  private record Outcome(String duckType, String backType, String outcome) {}

  /**
   * Sends the sample through the spill path, which the table records, and through Arrow batches,
   * which must give exactly the same outcome, or (for a type without an Arrow form) be refused with
   * a message that says so, the automatic path then spilling.
   */
  private void sparkType(Sample sample, SparkCase c) {
    Dataset<Row> df = sample.dataset();
    String sparkType = typeOf(df);
    String values = String.join(", ", sample.values());
    Outcome spilled = transfer(df, c, ToEngine.eager());
    record(
        SPARK_ROWS,
        sample,
        sparkType,
        values,
        spilled.duckType(),
        spilled.backType(),
        spilled.outcome(),
        c);
    Outcome arrow;
    try {
      arrow = transfer(df, c, ToEngine.arrow());
    } catch (SpillException e) {
      assertThat(e.getMessage()).contains("column 'c'").contains("has no Arrow form");
      assertThat(sample.key()).isIn(WITHOUT_ARROW_FORM);
      arrow = transfer(df, c, ToEngine.auto());
    }
    assertThat(arrow).as("the Arrow path of " + sample.key()).isEqualTo(spilled);
  }

  /** The samples whose Spark type spill's Arrow path leaves to the spill path. */
  private static final List<String> WITHOUT_ARROW_FORM =
      List.of("CHAR(5)", "VARCHAR(5)", "TIME(6)", "legacy INTERVAL", "VARIANT", "VOID");

  private Outcome transfer(Dataset<Row> df, SparkCase c, ToEngine how) {
    DuckDbFrame frame;
    try {
      frame = spill.sparkToEngine(df, how);
    } catch (UnsupportedColumnTypeException e) {
      assertThat(e.getMessage()).contains("column 'c'");
      return new Outcome("–", "–", SparkTypeSamples.assertRefused(e, c.back()));
    }
    String duckType = frame.columnTypes().get("c");
    assertThat(duckType).as(how.toString()).isEqualTo(c.duckType());
    try {
      Dataset<Row> back = spill.engineToSpark(frame);
      return new Outcome(
          duckType, typeOf(back), SparkTypeSamples.assertCameBack(df, back, c.back()));
    } catch (UnsupportedColumnTypeException e) {
      return new Outcome(duckType, "–", SparkTypeSamples.assertRefused(e, c.back()));
    }
  }

  private static void record(
      Map<Integer, String> rows,
      Sample sample,
      String sparkType,
      String values,
      String duckType,
      String backType,
      String outcome,
      SparkCase c) {
    rows.put(
        SparkTypeSamples.all().indexOf(sample),
        SparkTypeSamples.row(sparkType, values, duckType, backType, outcome, c.note()));
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
    DUCK_ROWS.put(
        c.order(), SparkTypeSamples.row(duckType, c.value(), sparkType, outcome, c.note()));
  }

  private static String typeOf(Dataset<Row> df) {
    return SparkTypeSamples.typeOf(df);
  }

  @AfterAll
  static void writeTable() {
    if (SPARK_ROWS.size() != sparkCases().size() || DUCK_ROWS.size() != duckCases().size()) {
      System.out.println("TypeTableTest: not every case ran, so docs/TYPES.md was not compared");
      return;
    }
    StringBuilder out =
        new StringBuilder(
            """
        Measured on a real local Spark %s with DuckDB %s by `TypeTableTest` in
        `spill-engine-duckdb`, spilled and through Arrow batches (each Spark type both ways), which
        fails if this section differs or the ways differ.

        ### Spark → DuckDB → Spark

        | Spark type | Values sent | In DuckDB | Back in Spark | Outcome | Note |
        |---|---|---|---|---|---|
        """
                .formatted(spark().version(), duckDbVersion()));
    new TreeMap<>(SPARK_ROWS).values().forEach(r -> out.append(r).append('\n'));
    out.append(
        """

        ### DuckDB → Spark

        Spark reads what DuckDB writes as Parquet; spill first converts, or refuses, the types
        Spark cannot read. `HUGEINT` and the infinity checks look at the values, so the type or
        the refusal can depend on the data; a query that needs a fixed type casts explicitly.

        | DuckDB type | Value | In Spark | Outcome | Note |
        |---|---|---|---|---|
        """);
    new TreeMap<>(DUCK_ROWS).values().forEach(r -> out.append(r).append('\n'));
    SparkTypeSamples.assertDocumented("duckdb", out.toString());
  }

  private static String duckDbVersion() {
    try (DuckDbFrameEngine engine = DuckDbEngine.create()) {
      return engine.queryRow("SELECT version()").get(0);
    }
  }
}
