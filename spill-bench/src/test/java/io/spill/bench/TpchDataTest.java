package io.spill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The generated {@code lineitem} holds what TPC-H specifies, in Spark's types. */
class TpchDataTest {
  @Test
  void lineitemHasTpchsColumnsAndValueRanges() {
    var df = TpchData.lineitem(SparkTestSession.get(), 0.001);
    Row r =
        df.selectExpr(
                "count(*)",
                "count(DISTINCT l_orderkey)",
                "min(l_quantity)",
                "max(l_quantity)",
                "min(l_discount)",
                "max(l_discount)",
                "max(l_tax)",
                "min(l_shipdate)",
                "max(l_shipdate)",
                "min(datediff(l_receiptdate, l_shipdate))",
                "max(datediff(l_receiptdate, l_shipdate))",
                "count(DISTINCT l_returnflag)",
                "count(DISTINCT l_shipmode)",
                "min(length(l_comment))")
            .first();
    // 1,500 orders at scale factor 0.001, each of 1 to 7 lines (TPC-H 4.2.3)
    assertThat(r.getLong(1)).isEqualTo(1_500);
    assertThat(r.getLong(0)).isBetween(1_500L, 10_500L);
    assertThat(r.<BigDecimal>getAs(2)).isGreaterThanOrEqualTo(new BigDecimal("1.00"));
    assertThat(r.<BigDecimal>getAs(3)).isLessThanOrEqualTo(new BigDecimal("50.00"));
    assertThat(r.<BigDecimal>getAs(4)).isGreaterThanOrEqualTo(new BigDecimal("0.00"));
    assertThat(r.<BigDecimal>getAs(5)).isLessThanOrEqualTo(new BigDecimal("0.10"));
    assertThat(r.<BigDecimal>getAs(6)).isLessThanOrEqualTo(new BigDecimal("0.08"));
    // ship dates lie between 1992-01-02 and 1998-12-01; receipt 1 to 30 days after shipping
    assertThat(r.<LocalDate>getAs(7)).isAfterOrEqualTo(LocalDate.of(1992, 1, 2));
    assertThat(r.<LocalDate>getAs(8)).isBeforeOrEqualTo(LocalDate.of(1998, 12, 1));
    assertThat(r.getInt(9)).isGreaterThanOrEqualTo(1);
    assertThat(r.getInt(10)).isLessThanOrEqualTo(30);
    assertThat(r.getLong(11)).isEqualTo(3); // A, N, R
    assertThat(r.getLong(12)).isEqualTo(7);
    assertThat(r.getInt(13)).isPositive();
  }
}
