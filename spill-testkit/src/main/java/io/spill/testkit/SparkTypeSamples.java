package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every Spark type, each with values at its edges, for the type tables of {@code docs/TYPES.md}:
 * each engine's table test sends every sample Spark → engine → Spark, checks the outcome it
 * declares for the sample, and compares its measured section of the document with the file.
 */
public final class SparkTypeSamples {
  private static final String TS = "TIMESTAMP'0001-01-01 00:00:00.000001Z'";
  private static final String NTZ = "TIMESTAMP_NTZ'0001-01-01 00:00:00.000001'";
  private static final Map<String, String> CHARS =
      Map.of("spark.sql.preserveCharVarcharTypeInfo", "true");

  /**
   * One sample.
   *
   * @param key a unique label, by which an engine's test declares the outcome
   * @param values Spark SQL expressions of one type, one row each
   * @param conf session settings the sample needs, set while it runs
   */
  public record Sample(String key, List<String> values, Map<String, String> conf) {
    Sample(String key, String... values) {
      this(key, List.of(values), Map.of());
    }

    @Override
    public String toString() {
      return key;
    }

    /**
     * The values as one column {@code c}, one row each.
     *
     * @return the Dataset
     */
    public Dataset<Row> dataset() {
      return SparkTestSession.get()
          .sql(
              String.join(
                  " UNION ALL ", values.stream().map(v -> "SELECT " + v + " AS c").toList()));
    }

    /**
     * Runs {@code body} with this sample's settings in the session, restored afterwards.
     *
     * @param body what to run
     * @param <T> its result
     * @return its result
     */
    public <T> T withConf(Supplier<T> body) {
      SparkSession spark = SparkTestSession.get();
      Map<String, String> before = new HashMap<>();
      conf.forEach(
          (k, v) -> {
            before.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
          });
      try {
        return body.get();
      } finally {
        before.forEach(
            (k, v) -> {
              if (v == null) {
                spark.conf().unset(k);
              } else {
                spark.conf().set(k, v);
              }
            });
      }
    }
  }

  private SparkTypeSamples() {}

  /**
   * Every sample, in the order of the tables.
   *
   * @return the samples
   */
  public static List<Sample> all() {
    return List.of(
        new Sample("BOOLEAN", "true", "false"),
        new Sample("TINYINT", "CAST(-128 AS TINYINT)", "CAST(127 AS TINYINT)"),
        new Sample("SMALLINT", "CAST(-32768 AS SMALLINT)", "CAST(32767 AS SMALLINT)"),
        new Sample("INT", "-2147483648", "2147483647"),
        new Sample("BIGINT", "-9223372036854775808L", "9223372036854775807L"),
        new Sample(
            "FLOAT",
            "CAST('NaN' AS FLOAT)",
            "CAST('-Infinity' AS FLOAT)",
            "CAST(3.4028235E38 AS FLOAT)",
            "CAST(-0.0 AS FLOAT)"),
        new Sample(
            "DOUBLE",
            "CAST('NaN' AS DOUBLE)",
            "CAST('Infinity' AS DOUBLE)",
            "1.7976931348623157E308D",
            "4.9E-324D"),
        new Sample("DECIMAL(1,0)", "CAST(-9 AS DECIMAL(1,0))", "CAST(9 AS DECIMAL(1,0))"),
        new Sample("DECIMAL(18,2)", "CAST('-9999999999999999.99' AS DECIMAL(18,2))"),
        new Sample(
            "DECIMAL(38,0)",
            "CAST('99999999999999999999999999999999999999' AS DECIMAL(38,0))",
            "CAST('-99999999999999999999999999999999999999' AS DECIMAL(38,0))"),
        new Sample(
            "DECIMAL(38,38)",
            "CAST('-0.00000000000000000000000000000000000001' AS DECIMAL(38,38))"),
        new Sample("STRING", "'Grüße, 世界 🚀'", "''", "'\\'quote\" \\\\'"),
        new Sample("CHAR in a query", "CAST('ab' AS CHAR(5))"),
        new Sample("CHAR(5)", List.of("CAST('ab' AS CHAR(5))"), CHARS),
        new Sample("VARCHAR(5)", List.of("CAST('ab' AS VARCHAR(5))"), CHARS),
        new Sample(
            "TIME(6)",
            List.of("TIME'12:34:56.123456'", "TIME'00:00:00'", "TIME'23:59:59.999999'"),
            Map.of("spark.sql.timeType.enabled", "true")),
        new Sample("BINARY", "X''", "X'00FF'"),
        new Sample("DATE", "DATE'0001-01-01'", "DATE'9999-12-31'", "DATE'1582-10-04'"),
        new Sample("TIMESTAMP", TS, "TIMESTAMP'9999-12-31 23:59:59.999999Z'"),
        new Sample("TIMESTAMP_NTZ", NTZ, "TIMESTAMP_NTZ'9999-12-31 23:59:59.999999'"),
        new Sample(
            "INTERVAL YEAR TO MONTH",
            "INTERVAL '178956970-7' YEAR TO MONTH",
            "INTERVAL '-1-2' YEAR TO MONTH"),
        new Sample(
            "INTERVAL DAY TO SECOND",
            "INTERVAL '106751991 04:00:54.775807' DAY TO SECOND",
            "INTERVAL '-3 04:05:06.000001' DAY TO SECOND"),
        new Sample("INTERVAL HOUR", "INTERVAL '5' HOUR"),
        new Sample("legacy INTERVAL", "make_interval(1, 2)"),
        new Sample("ARRAY<INT>", "array(1, NULL, 3)", "array()"),
        new Sample("ARRAY<ARRAY<STRING>>", "array(array('a'), NULL)"),
        new Sample("MAP<STRING, BIGINT>", "map('k', 1L, 'ü', NULL)", "map()"),
        new Sample("STRUCT", "named_struct('a', 1, 't', " + TS + ", 'n', CAST(NULL AS STRING))"),
        new Sample(
            "nested timestamps", "array(named_struct('m', map(" + TS + ", array(" + NTZ + "))))"),
        new Sample("VARIANT", "parse_json('{\"a\": [1, \"x\"]}')"),
        new Sample("VOID", "NULL"));
  }

  /**
   * The SQL type of column {@code c}, nullability aside: Spark's Parquet reader makes every field
   * nullable, its own write-and-read included.
   *
   * @param df a Dataset with a first column
   * @return its type, as Spark SQL writes it
   */
  public static String typeOf(Dataset<Row> df) {
    return df.schema().fields()[0].dataType().sql().replace(" NOT NULL", "");
  }

  /**
   * Checks what came back against the declared outcome and returns the outcome for the table:
   * {@code declared} null means the same type and the same rows came back ({@code equal}); a Spark
   * type means that type came back with the same values as text.
   *
   * @param sent what was sent
   * @param back what came back
   * @param declared null, or the Spark type it comes back as
   * @return {@code equal} or {@code changed type, same values as text}
   */
  public static String assertCameBack(Dataset<Row> sent, Dataset<Row> back, String declared) {
    String backType = typeOf(back);
    if (declared == null) {
      assertThat(backType).isEqualTo(typeOf(sent));
      SparkSamples.assertSameRows(sent.collectAsList(), back.collectAsList());
      return "equal";
    }
    assertThat(declared).as("declared a refusal, and it came back").doesNotStartWith("refused");
    assertThat(backType).isEqualTo(declared);
    SparkSamples.assertSameRows(
        sent.selectExpr("CAST(c AS STRING)").collectAsList(),
        back.selectExpr("CAST(c AS STRING)").collectAsList());
    return "changed type, same values as text";
  }

  /**
   * Checks a refusal against the declared outcome, {@code "refused: <fragment of the message>"},
   * and returns the outcome for the table.
   *
   * @param refusal the exception
   * @param declared the declared outcome
   * @return {@code refused: <message>}
   */
  public static String assertRefused(RuntimeException refusal, String declared) {
    assertThat(declared).as(refusal.getMessage()).isNotNull().startsWith("refused: ");
    assertThat(refusal.getMessage()).contains(declared.substring("refused: ".length()));
    return "refused: " + refusal.getMessage();
  }

  /**
   * One table row of Markdown from its cells (nulls left out).
   *
   * @param cells the cells
   * @return the row
   */
  public static String row(String... cells) {
    StringBuilder row = new StringBuilder("|");
    for (String cell : cells) {
      if (cell != null) {
        row.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
      }
    }
    return row.toString();
  }

  /**
   * Writes {@code section} to {@code target/reports/TYPES-<name>.md} and checks that {@code
   * docs/TYPES.md} holds it exactly between {@code <!-- <name>: begin -->} and {@code <!-- <name>:
   * end -->}: the document says what the test measured.
   *
   * @param name the section's name
   * @param section the measured Markdown
   */
  public static void assertDocumented(String name, String section) {
    Path docs = Path.of("..", "docs", "TYPES.md").toAbsolutePath().normalize();
    Path measured = Path.of("target", "reports", "TYPES-" + name + ".md").toAbsolutePath();
    try {
      Files.createDirectories(measured.getParent());
      Files.writeString(measured, section, StandardCharsets.UTF_8);
      String text = Files.readString(docs, StandardCharsets.UTF_8);
      String begin = "<!-- " + name + ": begin -->\n";
      String end = "<!-- " + name + ": end -->";
      int from = text.indexOf(begin);
      int to = text.indexOf(end);
      assertThat(from).as("docs/TYPES.md has no section '%s'", name).isNotNegative();
      assertThat(text.substring(from + begin.length(), Math.max(to, from + begin.length())))
          .as(
              "docs/TYPES.md says what this test measured; if the change is intended, put %s"
                  + " between the markers of '%s' in docs/TYPES.md",
              measured, name)
          .isEqualTo(section);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
