package io.spill.internal.spark;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Puts {@code TIMESTAMP_NTZ} back where a Parquet file holds local (not UTC-adjusted) timestamps
 * but Spark inferred {@code TIMESTAMP}, which it does when the session sets {@code
 * spark.sql.parquet.inferTimestampNTZ.enabled=false}. spill reads the file's schema instead of
 * changing the session's setting.
 */
public final class LocalTimestamps {
  private LocalTimestamps() {}

  /** {@code inferred} with local timestamps typed as {@code TIMESTAMP_NTZ}, at any depth. */
  public static StructType restore(StructType inferred, GroupType parquet) {
    StructField[] fields = inferred.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      if (parquet.containsField(f.name())) {
        fields[i] =
            new StructField(
                f.name(),
                restore(f.dataType(), parquet.getType(f.name())),
                f.nullable(),
                f.metadata());
      }
    }
    return new StructType(fields);
  }

  private static DataType restore(DataType spark, Type parquet) {
    if (spark instanceof TimestampType) {
      return parquet.isPrimitive()
              && parquet.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation t
              && !t.isAdjustedToUTC()
          ? DataTypes.TimestampNTZType
          : spark;
    }
    if (parquet.isPrimitive()) {
      return spark;
    }
    GroupType group = parquet.asGroupType();
    if (spark instanceof StructType struct) {
      return restore(struct, group);
    }
    if (spark instanceof ArrayType array) {
      return DataTypes.createArrayType(
          restore(array.elementType(), repeatedValue(group)), array.containsNull());
    }
    if (spark instanceof MapType map) {
      Type keyValue = group.getType(0);
      if (keyValue.isPrimitive() || keyValue.asGroupType().getFieldCount() != 2) {
        return spark;
      }
      GroupType kv = keyValue.asGroupType();
      return DataTypes.createMapType(
          restore(map.keyType(), kv.getType(0)),
          restore(map.valueType(), kv.getType(1)),
          map.valueContainsNull());
    }
    return spark;
  }

  /** The element of a Parquet LIST: three levels (group, repeated group, element) or two. */
  private static Type repeatedValue(GroupType list) {
    Type repeated = list.getType(0);
    if (repeated.isPrimitive() || repeated.asGroupType().getFieldCount() != 1) {
      return repeated;
    }
    return repeated.asGroupType().getType(0);
  }
}
