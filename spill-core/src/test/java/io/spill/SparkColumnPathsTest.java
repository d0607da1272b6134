package io.spill;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import org.junit.jupiter.api.Test;

class SparkColumnPathsTest {
  private static final String SCHEMA = new StructType()
      .add("id", DataTypes.LongType)
      .add("a.b", DataTypes.TimestampType)
      .add("s", new StructType()
          .add("ym", YearMonthIntervalType.apply())
          .add("m", DataTypes.createMapType(DataTypes.TimestampNTZType,
              DataTypes.createArrayType(DataTypes.TimestampType))))
      .add("dt", DayTimeIntervalType.apply((byte) 1, (byte) 2))
      .json();

  @Test
  void leafTypesNameEveryLeafByItsPath() {
    assertThat(SparkColumnPaths.leafTypes(SCHEMA)).containsExactly(
        java.util.Map.entry("a.b", "timestamp"),
        java.util.Map.entry("dt", "interval hour to minute"),
        java.util.Map.entry("id", "bigint"),
        java.util.Map.entry("s.m.key", "timestamp_ntz"),
        java.util.Map.entry("s.m.value[]", "timestamp"),
        java.util.Map.entry("s.ym", "interval year to month"));
  }

  @Test
  void instantsAreTheTimestampLeavesOnly() {
    assertThat(SparkColumnPaths.instants(SCHEMA)).containsExactly("a.b", "s.m.value[]");
  }
}
