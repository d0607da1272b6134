package io.spill.internal.spark;

import io.spill.spi.SparkSchema;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark's schema as the SPI's {@link SparkSchema}, which engines read without Spark. */
public final class SparkSchemas {
  private SparkSchemas() {}

  /** {@code schema} as the SPI's model. */
  public static SparkSchema of(StructType schema) {
    return new SparkSchema(fields(schema));
  }

  /** A schema as {@code StructType.json()} wrote it (a manifest keeps that), as the SPI's model. */
  public static SparkSchema fromJson(String json) {
    return of((StructType) DataType.fromJson(json));
  }

  private static List<SparkSchema.Field> fields(StructType struct) {
    return Arrays.stream(struct.fields()).map(SparkSchemas::field).toList();
  }

  private static SparkSchema.Field field(StructField f) {
    return new SparkSchema.Field(f.name(), type(f.dataType()), f.nullable());
  }

  private static SparkSchema.Type type(DataType type) {
    if (type instanceof StructType struct) {
      return new SparkSchema.Struct(fields(struct));
    }
    if (type instanceof ArrayType array) {
      return new SparkSchema.ArrayOf(type(array.elementType()), array.containsNull());
    }
    if (type instanceof MapType map) {
      return new SparkSchema.MapOf(
          type(map.keyType()), type(map.valueType()), map.valueContainsNull());
    }
    return new SparkSchema.Leaf(type.sql());
  }
}
