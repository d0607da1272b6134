package io.spill.internal.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SparkSchema;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import org.junit.jupiter.api.Test;

class SparkSchemasTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("a.b", DataTypes.TimestampType)
          .add(
              "s",
              new StructType()
                  .add("ym", YearMonthIntervalType.apply())
                  .add(
                      "m",
                      DataTypes.createMapType(
                          DataTypes.TimestampNTZType,
                          DataTypes.createArrayType(DataTypes.TimestampType, false),
                          true)))
          .add("dt", DayTimeIntervalType.apply((byte) 1, (byte) 2))
          .add("d", DataTypes.createDecimalType(10, 2));

  @Test
  void leafTypesNameEveryLeafByItsPath() {
    assertThat(SparkSchemas.of(SCHEMA).leafTypes())
        .containsExactly(
            Map.entry("a.b", "timestamp"),
            Map.entry("d", "decimal(10,2)"),
            Map.entry("dt", "interval hour to minute"),
            Map.entry("id", "bigint"),
            Map.entry("s.m.key", "timestamp_ntz"),
            Map.entry("s.m.value[]", "timestamp"),
            Map.entry("s.ym", "interval year to month"));
  }

  @Test
  void theModelKeepsNamesOrderAndNullability() {
    SparkSchema model = SparkSchemas.fromJson(SCHEMA.json());
    assertThat(model.fields())
        .extracting(SparkSchema.Field::name)
        .containsExactly("id", "a.b", "s", "dt", "d");
    assertThat(model.fields().get(0).nullable()).isFalse();
    assertThat(model.fields().get(1).nullable()).isTrue();
    SparkSchema.Struct s = (SparkSchema.Struct) model.fields().get(2).type();
    SparkSchema.MapOf m = (SparkSchema.MapOf) s.fields().get(1).type();
    assertThat(m.key()).isEqualTo(new SparkSchema.Leaf("timestamp_ntz"));
    assertThat(m.valueContainsNull()).isTrue();
    assertThat(m.value())
        .isEqualTo(new SparkSchema.ArrayOf(new SparkSchema.Leaf("timestamp"), false));
    assertThat(model).isEqualTo(SparkSchemas.of(SCHEMA));
    assertThat(new SparkSchema(List.of()).leafTypes()).isEmpty();
  }
}
