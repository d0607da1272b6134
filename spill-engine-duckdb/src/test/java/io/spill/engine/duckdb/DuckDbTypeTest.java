package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.engine.duckdb.DuckDbType.ListOf;
import io.spill.engine.duckdb.DuckDbType.MapOf;
import io.spill.engine.duckdb.DuckDbType.StructOf;
import org.junit.jupiter.api.Test;

class DuckDbTypeTest {
  @Test
  void parsesNestedTypesAndPrintsThemBack() {
    DuckDbType t =
        DuckDbType.parse(
            "STRUCT(a TIMESTAMP_NS, \"b \"\"c\"\"\" INTEGER[], m MAP(VARCHAR, DECIMAL(38,18)))[]");
    assertThat(t).isInstanceOf(ListOf.class);
    StructOf s = (StructOf) ((ListOf) t).element();
    assertThat(s.fields()).extracting(DuckDbType.Field::name).containsExactly("a", "b \"c\"", "m");
    assertThat(s.fields().get(2).type()).isInstanceOf(MapOf.class);
    assertThat(t.sql())
        .isEqualTo(
            "STRUCT(\"a\" TIMESTAMP_NS, \"b \"\"c\"\"\" INTEGER[], \"m\" MAP(VARCHAR, DECIMAL(38,18)))[]");
  }

  @Test
  void leavesKeepParenthesesQuotesAndSpaces() {
    assertThat(DuckDbType.parse("ENUM('a, b', 'c)')"))
        .isEqualTo(new DuckDbType.Leaf("ENUM('a, b', 'c)')"));
    assertThat(((DuckDbType.Leaf) DuckDbType.parse("TIMESTAMP WITH TIME ZONE")).base())
        .isEqualTo("TIMESTAMP WITH TIME ZONE");
    assertThat(DuckDbType.parse("INTEGER[3][]").sql()).isEqualTo("INTEGER[3][]");
  }

  @Test
  void findsNanosecondsAtAnyDepth() {
    assertThat(SparkPortableTypes.hasNanos(DuckDbType.parse("MAP(VARCHAR, TIMESTAMP_NS[])")))
        .isTrue();
    assertThat(SparkPortableTypes.hasNanos(DuckDbType.parse("STRUCT(a TIMESTAMP)"))).isFalse();
  }
}
