package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.UnsupportedColumnTypeException;
import java.math.BigDecimal;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HUGEINT (every integer sum in DuckDB) arrives as bigint when its values fit; other types Spark
 * lacks are refused with a hint of their own.
 */
class HugeIntTest extends DevSpillerTest {

  private DuckDbFrameEngine duck() {
    return spill.engine(DuckDbFrameEngine.class);
  }

  @Test
  void sumsThatFitArriveAsBigint() {
    DuckDbFrame sums =
        duck()
            .sql(
                "SELECT sum(x) AS s, CAST(NULL AS HUGEINT) AS n,"
                    + " -9223372036854775808::HUGEINT AS lo FROM range(10) t(x)");
    assertThat(sums.columnTypes()).containsEntry("s", "HUGEINT");
    Dataset<Row> back = spill.engineToSpark(sums);
    assertThat(back.schema().catalogString()).isEqualTo("struct<s:bigint,n:bigint,lo:bigint>");
    assertThat(back.first().getLong(0)).isEqualTo(45);
    assertThat(back.first().getLong(2)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void largerValuesArriveAsDecimal38Exactly() {
    DuckDbFrame big =
        duck()
            .sql(
                "SELECT '99999999999999999999999999999999999999'::HUGEINT AS h,"
                    + " '9223372036854775808'::UHUGEINT AS u");
    Dataset<Row> back = spill.engineToSpark(big);
    assertThat(back.schema().catalogString()).isEqualTo("struct<h:decimal(38,0),u:decimal(38,0)>");
    assertThat(back.first().<BigDecimal>getAs("h"))
        .isEqualByComparingTo("99999999999999999999999999999999999999");
    assertThat(back.first().<BigDecimal>getAs("u")).isEqualByComparingTo("9223372036854775808");
  }

  @Test
  void anUntypedNullColumnGetsItsOwnHint() {
    DuckDbFrame untyped = duck().sql("SELECT 1 AS ok, NULL AS nothing");
    assertThatThrownBy(() -> spill.engineToSpark(untyped))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 'nothing'")
        .hasMessageContaining("CAST(NULL AS VARCHAR)");
  }

  @Test
  void valuesBeyondDecimal38AreRefusedNamingTheColumnAndTheCast() {
    DuckDbFrame huge =
        duck()
            .sql(
                "SELECT 1 AS ok,"
                    + " 170141183460469231731687303715884105727::HUGEINT AS \"too big\"");
    assertThatThrownBy(() -> spill.engineToSpark(huge))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 'too big'")
        .hasMessageContaining("170141183460469231731687303715884105727")
        .hasMessageContaining("CAST(\"too big\" AS DOUBLE)");
  }

  /**
   * Inside a list, a struct or a map the same refusal names the column, the path to the value and
   * the value, instead of DuckDB's bare conversion error; values that fit arrive exactly.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, -170141183460469231731687303715884105727::HUGEINT]|c[]|"
            + "-170141183460469231731687303715884105727",
        "{'a': 1, 'h': 100000000000000000000000000000000000000::HUGEINT}|c.h|"
            + "100000000000000000000000000000000000000",
        "MAP {340282366920938463463374607431768211455::UHUGEINT: 1}|c.key|"
            + "340282366920938463463374607431768211455",
        "[{'v': [99999999999999999999999999999999999999::HUGEINT,"
            + " 100000000000000000000000000000000000000::HUGEINT]}]|c[].v[]|"
            + "100000000000000000000000000000000000000"
      })
  void nestedValuesBeyondDecimal38AreRefusedNamingThePathAndTheValue(
      String value, String path, String shown) {
    DuckDbFrame nested = duck().sql("SELECT " + value + " AS c");
    assertThatThrownBy(() -> spill.engineToSpark(nested))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 'c' (at " + path + ")")
        .hasMessageContaining(shown)
        .hasMessageContaining("DECIMAL(38,0)")
        .hasMessageContaining("DOUBLE");
    DuckDbFrame fits =
        duck().sql("SELECT [99999999999999999999999999999999999999::HUGEINT, -1::HUGEINT] AS c");
    assertThat(spill.engineToSpark(fits).first().getList(0))
        .extracting(Object::toString)
        .containsExactly("99999999999999999999999999999999999999", "-1");
  }
}
