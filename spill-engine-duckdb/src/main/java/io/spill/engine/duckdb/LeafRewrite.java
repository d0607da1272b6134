package io.spill.engine.duckdb;

import io.spill.engine.duckdb.DuckDbType.Leaf;
import io.spill.engine.duckdb.DuckDbType.ListOf;
import io.spill.engine.duckdb.DuckDbType.MapOf;
import io.spill.engine.duckdb.DuckDbType.StructOf;
import io.spill.spi.helpers.Identifiers;
import java.util.stream.Collectors;

/**
 * Builds a DuckDB expression that rewrites some leaves of a value, at the top level and inside
 * STRUCT, LIST, ARRAY and MAP, and keeps the rest: containers are rebuilt only where a leaf below
 * them changes (lambdas for lists and maps, {@code struct_pack} for structs, a NULL struct or map
 * staying NULL). Paths follow {@code io.spill.SparkColumnPaths}: {@code col.field}, {@code col[]},
 * {@code col.key}, {@code col.value}.
 */
final class LeafRewrite {
  /** What to do with one leaf. */
  @FunctionalInterface
  interface LeafMapper {
    /**
     * The expression replacing {@code expr}, a leaf of type {@code leaf} at {@code path}; null to
     * keep it.
     */
    String map(String path, Leaf leaf, String expr);
  }

  private LeafRewrite() {}

  /** {@code expr} (a value of {@code type} at {@code path}) with its leaves mapped. */
  static String apply(DuckDbType type, String expr, String path, LeafMapper mapper) {
    return changes(type, path, mapper) ? rewrite(type, expr, path, mapper, 0) : expr;
  }

  private static boolean changes(DuckDbType type, String path, LeafMapper mapper) {
    if (type instanceof Leaf leaf) {
      return mapper.map(path, leaf, "x") != null;
    }
    if (type instanceof ListOf list) {
      return changes(list.element(), path + "[]", mapper);
    }
    if (type instanceof StructOf struct) {
      return struct.fields().stream()
          .anyMatch(f -> changes(f.type(), path + "." + f.name(), mapper));
    }
    if (type instanceof MapOf map) {
      return changes(map.key(), path + ".key", mapper)
          || changes(map.value(), path + ".value", mapper);
    }
    return false; // a UNION is never rewritten
  }

  private static String rewrite(
      DuckDbType type, String expr, String path, LeafMapper mapper, int depth) {
    if (!changes(type, path, mapper)) {
      return expr;
    }
    if (type instanceof Leaf leaf) {
      return mapper.map(path, leaf, expr);
    }
    String var = "x" + depth;
    if (type instanceof ListOf list) {
      return "list_transform("
          + expr
          + ", lambda "
          + var
          + ": "
          + rewrite(list.element(), var, path + "[]", mapper, depth + 1)
          + ")";
    }
    if (type instanceof StructOf struct) {
      String packed =
          struct.fields().stream()
              .map(
                  f ->
                      Identifiers.quoteDouble(f.name())
                          + " := "
                          + rewrite(
                              f.type(),
                              "(" + expr + ")." + Identifiers.quoteDouble(f.name()),
                              path + "." + f.name(),
                              mapper,
                              depth + 1))
              .collect(Collectors.joining(", ", "struct_pack(", ")"));
      return nullSafe(expr, packed);
    }
    MapOf map = (MapOf) type;
    String guard = "";
    if (changes(map.key(), path + ".key", mapper)) {
      // A rewritten key may equal another (nanoseconds truncated): say where, not just that
      // DuckDB's map keys must be unique.
      String keys =
          "list_transform(map_keys("
              + expr
              + "), lambda "
              + var
              + ": "
              + rewrite(map.key(), var, path + ".key", mapper, depth + 1)
              + ")";
      guard =
          " WHEN len(list_distinct("
              + keys
              + ")) < len(map_keys("
              + expr
              + ")) THEN "
              + SparkPortableTypes.refusal(
                  "two keys of the map at '"
                      + path
                      + "' become equal when"
                      + " converted to a type Spark reads (TIMESTAMP_NS keys lose their nanoseconds);"
                      + " make the keys distinct in your query first, for example by truncating them to"
                      + " microseconds and merging their values");
    }
    String entries =
        "list_transform(map_entries("
            + expr
            + "), lambda "
            + var
            + ": struct_pack(key := "
            + rewrite(map.key(), var + ".key", path + ".key", mapper, depth + 1)
            + ", value := "
            + rewrite(map.value(), var + ".value", path + ".value", mapper, depth + 1)
            + "))";
    return "CASE WHEN "
        + expr
        + " IS NULL THEN NULL"
        + guard
        + " ELSE map_from_entries("
        + entries
        + ") END";
  }

  private static String nullSafe(String expr, String rebuilt) {
    return "CASE WHEN " + expr + " IS NULL THEN NULL ELSE " + rebuilt + " END";
  }
}
