package io.spill.internal.spark;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Walks over the leaves of a Spark type (everything that is not a struct, array or map), at any
 * depth, keeping field names, nullability and metadata.
 */
public final class SparkTypes {
  private SparkTypes() {}

  /** Whether any leaf of {@code type} passes {@code test}. */
  public static boolean anyLeaf(DataType type, Predicate<DataType> test) {
    if (type instanceof StructType struct) {
      return Arrays.stream(struct.fields()).anyMatch(f -> anyLeaf(f.dataType(), test));
    }
    if (type instanceof ArrayType array) {
      return anyLeaf(array.elementType(), test);
    }
    if (type instanceof MapType map) {
      return anyLeaf(map.keyType(), test) || anyLeaf(map.valueType(), test);
    }
    return test.test(type);
  }

  /** {@code type} with every leaf replaced by what {@code change} makes of it. */
  public static DataType mapLeaves(DataType type, UnaryOperator<DataType> change) {
    if (type instanceof StructType struct) {
      StructField[] fields = struct.fields().clone();
      for (int i = 0; i < fields.length; i++) {
        StructField f = fields[i];
        fields[i] =
            new StructField(f.name(), mapLeaves(f.dataType(), change), f.nullable(), f.metadata());
      }
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return DataTypes.createArrayType(
          mapLeaves(array.elementType(), change), array.containsNull());
    }
    if (type instanceof MapType map) {
      return DataTypes.createMapType(
          mapLeaves(map.keyType(), change),
          mapLeaves(map.valueType(), change),
          map.valueContainsNull());
    }
    return change.apply(type);
  }
}
