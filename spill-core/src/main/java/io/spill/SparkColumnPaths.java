package io.spill;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Paths into a Spark schema, for engines that read what Spark spilled. A path is a top-level
 * column name, then {@code .field} into a struct, {@code []} into an array's element,
 * {@code .key} and {@code .value} into a map: {@code orders.items[].placed_at}.
 */
public final class SparkColumnPaths {
  private SparkColumnPaths() {}

  /**
   * The paths at which a Spark schema holds a {@code TIMESTAMP} (an instant, as opposed to a
   * {@code TIMESTAMP_NTZ}). Spark may have written such a column as INT96, which engines read as
   * a local date-time unless told it is an instant.
   *
   * @param sparkSchemaJson a schema as {@code StructType.json()}
   */
  public static Set<String> instants(String sparkSchemaJson) {
    requireNonNull(sparkSchemaJson, "sparkSchemaJson is null");
    Set<String> paths = new TreeSet<>();
    for (StructField f : ((StructType) DataType.fromJson(sparkSchemaJson)).fields()) {
      collect(f.dataType(), f.name(), paths);
    }
    return paths;
  }

  private static void collect(DataType type, String path, Set<String> paths) {
    if (type instanceof TimestampType) {
      paths.add(path);
    } else if (type instanceof StructType struct) {
      for (StructField f : struct.fields()) {
        collect(f.dataType(), path + "." + f.name(), paths);
      }
    } else if (type instanceof ArrayType array) {
      collect(array.elementType(), path + "[]", paths);
    } else if (type instanceof MapType map) {
      collect(map.keyType(), path + ".key", paths);
      collect(map.valueType(), path + ".value", paths);
    }
  }
}
