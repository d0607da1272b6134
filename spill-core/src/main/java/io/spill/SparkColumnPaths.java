package io.spill;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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
    return leafTypes(sparkSchemaJson).entrySet().stream()
        .filter(e -> e.getValue().equals("timestamp")).map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * Every leaf (a value that is not a struct, array or map) of a Spark schema with its type as
   * Spark's SQL names it in lower case: {@code timestamp}, {@code interval day to second},
   * {@code decimal(10,2)}. Engines use it where Parquet alone does not say what Spark meant, for
   * example ANSI intervals, which Spark writes as plain integers.
   *
   * @param sparkSchemaJson a schema as {@code StructType.json()}
   * @return path to type, sorted by path
   */
  public static Map<String, String> leafTypes(String sparkSchemaJson) {
    requireNonNull(sparkSchemaJson, "sparkSchemaJson is null");
    Map<String, String> paths = new TreeMap<>();
    for (StructField f : ((StructType) DataType.fromJson(sparkSchemaJson)).fields()) {
      collect(f.dataType(), f.name(), paths);
    }
    return paths;
  }

  private static void collect(DataType type, String path, Map<String, String> paths) {
    if (type instanceof StructType struct) {
      for (StructField f : struct.fields()) {
        collect(f.dataType(), path + "." + f.name(), paths);
      }
    } else if (type instanceof ArrayType array) {
      collect(array.elementType(), path + "[]", paths);
    } else if (type instanceof MapType map) {
      collect(map.keyType(), path + ".key", paths);
      collect(map.valueType(), path + ".value", paths);
    } else {
      paths.put(path, type.sql().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
