package io.spill.engine.duckdb;

import io.spill.engine.duckdb.DuckDbType.Field;
import io.spill.engine.duckdb.DuckDbType.Leaf;
import io.spill.engine.duckdb.DuckDbType.ListOf;
import io.spill.engine.duckdb.DuckDbType.MapOf;
import io.spill.engine.duckdb.DuckDbType.StructOf;
import io.spill.engine.duckdb.DuckDbType.UnionOf;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.spi.helpers.Identifiers;
import java.util.Map;
import java.util.Set;

/**
 * Which DuckDB types Spark reads back from Parquet, and the SQL that makes the others readable:
 * lossless widenings are applied silently, types without a Spark counterpart fail with the column
 * and a cast to use instead.
 */
final class SparkPortableTypes {
  /** Leaves Spark reads from DuckDB's Parquet as they are. */
  private static final Set<String> NATIVE =
      Set.of(
          "BOOLEAN",
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "FLOAT",
          "DOUBLE",
          "DECIMAL",
          "VARCHAR",
          "BLOB",
          "DATE",
          "TIMESTAMP",
          "TIMESTAMP WITH TIME ZONE");

  /** Lossless rewrites to a type Spark reads. */
  private static final Map<String, String> WIDEN =
      Map.ofEntries(
          Map.entry("UTINYINT", "SMALLINT"),
          Map.entry("USMALLINT", "INTEGER"),
          Map.entry("UINTEGER", "BIGINT"),
          Map.entry("UBIGINT", "DECIMAL(20,0)"),
          Map.entry("HUGEINT", "DECIMAL(38,0)"),
          Map.entry("UHUGEINT", "DECIMAL(38,0)"),
          Map.entry("UUID", "VARCHAR"),
          Map.entry("ENUM", "VARCHAR"),
          Map.entry("JSON", "VARCHAR"),
          Map.entry("TIMESTAMP_S", "TIMESTAMP"),
          Map.entry("TIMESTAMP_MS", "TIMESTAMP"),
          Map.entry("TIMESTAMP_NS", "TIMESTAMP"));

  private static final Map<String, String> HINTS =
      Map.of(
          "INTERVAL", "to a number, e.g. epoch_us(col) or to_microseconds, or CAST(col AS VARCHAR)",
          "TIME", "to CAST(col AS VARCHAR), or to microseconds since midnight with epoch_us(col)",
          "TIME WITH TIME ZONE", "to CAST(col AS VARCHAR) or to a TIME in UTC",
          "UNION", "to one member with union_extract(col, 'member'), or CAST(col AS VARCHAR)",
          "BIT", "to CAST(col AS VARCHAR) or to a BLOB",
          "VARIANT",
              "to CAST(col AS JSON), which arrives as a string (parse_json in Spark makes it a"
                  + " VARIANT again)",
          "NULL", "to the type it should have, e.g. CAST(NULL AS VARCHAR)");

  private SparkPortableTypes() {}

  /**
   * The type to write instead of {@code type} so that Spark reads the column back.
   *
   * @param column the column name, for messages
   * @throws UnsupportedColumnTypeException if part of the type has no Spark counterpart
   */
  static DuckDbType portable(String column, DuckDbType type) {
    return portable(column, type, false);
  }

  /**
   * As {@link #portable(String, DuckDbType)}; {@code TIME} (microseconds) is kept when Spark reads
   * it ({@code spark.sql.timeType.enabled}).
   */
  static DuckDbType portable(String column, DuckDbType type, boolean sparkReadsTime) {
    return portable(column, column, type, sparkReadsTime);
  }

  private static DuckDbType portable(String column, String path, DuckDbType type, boolean time) {
    if (type instanceof Leaf leaf) {
      String base = leaf.base();
      if (NATIVE.contains(base) || (time && base.equals("TIME"))) {
        return leaf;
      }
      String wider = WIDEN.get(base);
      if (wider != null) {
        return new Leaf(wider);
      }
      throw unsupported(column, path, leaf.sql(), HINTS.getOrDefault(base, "CAST(col AS VARCHAR)"));
    }
    if (type instanceof ListOf list) {
      // Spark has no fixed-size arrays: a DuckDB ARRAY goes as a LIST.
      return new ListOf(portable(column, path + "[]", list.element(), time), null);
    }
    if (type instanceof StructOf struct) {
      return new StructOf(
          struct.fields().stream()
              .map(
                  f -> new Field(f.name(), portable(column, path + "." + f.name(), f.type(), time)))
              .toList());
    }
    if (type instanceof MapOf map) {
      return new MapOf(
          portable(column, path + ".key", map.key(), time),
          portable(column, path + ".value", map.value(), time));
    }
    UnionOf union = (UnionOf) type;
    throw unsupported(column, path, union.sql(), HINTS.get("UNION"));
  }

  private static UnsupportedColumnTypeException unsupported(
      String column, String path, String type, String hint) {
    String where =
        path.equals(column)
            ? "column '" + column + "'"
            : "column '" + column + "' (at " + path + ")";
    return new UnsupportedColumnTypeException(
        where
            + " has DuckDB type "
            + type
            + ", which Spark cannot read from Parquet; convert it in your query before handing the"
            + " frame to Spark: "
            + hint);
  }

  /** Whether a type holds a nanosecond timestamp anywhere. */
  static boolean hasNanos(DuckDbType type) {
    return anyLeaf(type, l -> l.base().equals("TIMESTAMP_NS"));
  }

  private static boolean anyLeaf(DuckDbType type, java.util.function.Predicate<Leaf> test) {
    if (type instanceof Leaf l) {
      return test.test(l);
    }
    if (type instanceof ListOf list) {
      return anyLeaf(list.element(), test);
    }
    if (type instanceof StructOf s) {
      return s.fields().stream().anyMatch(f -> anyLeaf(f.type(), test));
    }
    if (type instanceof MapOf m) {
      return anyLeaf(m.key(), test) || anyLeaf(m.value(), test);
    }
    return false; // a UNION is never written (see portable), so its members are not looked at
  }

  /** Marks an error raised by a check spill put into a statement; the message follows it. */
  static final String REFUSAL = "spill refuses: ";

  /** A DuckDB expression that fails the statement with {@code message} when evaluated. */
  static String refusal(String message) {
    return "error(" + Identifiers.quoteLiteral(REFUSAL + message) + ")";
  }

  private static final Set<String> TIME_POINTS =
      Set.of(
          "DATE",
          "TIMESTAMP",
          "TIMESTAMP WITH TIME ZONE",
          "TIMESTAMP_S",
          "TIMESTAMP_MS",
          "TIMESTAMP_NS");

  /**
   * For {@link LeafRewrite}: a date or timestamp leaf that fails the statement, naming the column,
   * when it holds {@code infinity} or {@code -infinity}. Spark has no such values: it would read
   * them as dates hundreds of thousands of years away, or as NULL.
   */
  static String noInfinity(String path, Leaf leaf, String x) {
    if (!TIME_POINTS.contains(leaf.base())) {
      return null;
    }
    String column =
        path.contains(".") || path.contains("[")
            ? "the value at '" + path + "'"
            : "column '" + path + "'";
    return "CASE WHEN isinf("
        + x
        + ") THEN "
        + refusal(
            column
                + " holds infinity or -infinity,"
                + " which Spark has no value for; replace it in your query, for example with"
                + " CASE WHEN isinf(value) THEN NULL ELSE value END")
        + " ELSE "
        + x
        + " END";
  }

  /**
   * For {@link LeafRewrite}: a {@code HUGEINT} or {@code UHUGEINT} nested in column {@code column}
   * (top-level ones are {@link HugeInts}'s) that fails the statement, naming the column, the path
   * inside it and the value, when the value is beyond {@code DECIMAL(38,0)}, the type it goes to
   * Spark as; null for every other leaf.
   */
  static String nestedHugeIntFits(String column, String path, Leaf leaf, String x) {
    boolean signed = leaf.base().equals("HUGEINT");
    if (path.equals(column) || !(signed || leaf.base().equals("UHUGEINT"))) {
      return null;
    }
    String type = signed ? "HUGEINT" : "UHUGEINT";
    String max = "CAST('" + HugeInts.DECIMAL_38 + "' AS " + type + ")";
    String beyond = signed ? x + " > " + max + " OR " + x + " < -" + max : x + " > " + max;
    String message = REFUSAL + "column '" + column + "' (at " + path + ") holds the " + type + " ";
    String rest =
        ", beyond Spark's widest exact number, DECIMAL(38,0) (at most 38 digits); cast that"
            + " field in your query to DOUBLE (approximate) or VARCHAR (exact, as text)";
    return "CASE WHEN "
        + beyond
        + " THEN error("
        + Identifiers.quoteLiteral(message)
        + " || CAST("
        + x
        + " AS VARCHAR) || "
        + Identifiers.quoteLiteral(rest)
        + ") ELSE "
        + x
        + " END";
  }

  /**
   * An expression equal to {@code expr} (column {@code column}) in which every nanosecond,
   * millisecond or second timestamp becomes a microsecond {@code TIMESTAMP}, nanoseconds truncated
   * toward the past (DuckDB's own cast rounds, which could move a value across a second or a day).
   * Infinities stay infinite, for the check at writing to name them.
   */
  static String toMicros(String column, DuckDbType type, String expr) {
    return LeafRewrite.apply(
        type,
        expr,
        column,
        (path, leaf, x) -> {
          if (leaf.base().equals("TIMESTAMP_NS")) {
            String ns = "epoch_ns(" + x + ")";
            return "CASE WHEN isinf("
                + x
                + ") THEN CAST("
                + x
                + " AS TIMESTAMP) ELSE make_timestamp("
                + ns
                + " // 1000 - CASE WHEN "
                + ns
                + " % 1000 < 0 THEN 1 ELSE 0 END) END";
          }
          return WIDEN.getOrDefault(leaf.base(), "").equals("TIMESTAMP")
              ? "CAST(" + x + " AS TIMESTAMP)"
              : null;
        });
  }
}
