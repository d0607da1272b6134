package io.spill.engine.duckdb;

import io.spill.engine.duckdb.DuckDbType.Leaf;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.spi.helpers.Identifiers;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a top-level {@code HUGEINT} or {@code UHUGEINT} column (every {@code sum()} of integers in
 * DuckDB is one) becomes for Spark, decided by the values the frame holds: {@code BIGINT} when they
 * all fit (the common case), {@code DECIMAL(38,0)} when they fit Spark's widest exact number, else
 * an error naming the column and the cast to use. One extra aggregation over the frame finds the
 * range (for a lazy frame, a second computation of it). The type can thus depend on the data; a
 * query that needs a fixed type casts explicitly. Nested ones are widened to {@code DECIMAL(38,0)}
 * as before.
 */
final class HugeInts {
  /** The largest value of {@code DECIMAL(38,0)}, Spark's widest exact number. */
  static final BigInteger DECIMAL_38 = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private HugeInts() {}

  /**
   * The Spark-readable type of each top-level huge-integer column of {@code table}.
   *
   * @throws UnsupportedColumnTypeException for a value beyond DECIMAL(38,0)
   */
  static Map<String, DuckDbType> targets(
      DuckDbFrameEngine engine, String table, Map<String, String> columns) {
    List<String> huge = new ArrayList<>();
    columns.forEach(
        (name, type) -> {
          if (DuckDbType.parse(type) instanceof Leaf leaf
              && (leaf.base().equals("HUGEINT") || leaf.base().equals("UHUGEINT"))) {
            huge.add(name);
          }
        });
    Map<String, DuckDbType> targets = new LinkedHashMap<>();
    if (huge.isEmpty()) {
      return targets;
    }
    List<String> aggregates = new ArrayList<>();
    for (String name : huge) {
      String col = Identifiers.quoteDouble(name);
      aggregates.add("CAST(min(" + col + ") AS VARCHAR)");
      aggregates.add("CAST(max(" + col + ") AS VARCHAR)");
    }
    List<String> range =
        engine.queryRow("SELECT " + String.join(", ", aggregates) + " FROM " + table);
    for (int i = 0; i < huge.size(); i++) {
      BigInteger min =
          range.get(2 * i) == null ? BigInteger.ZERO : new BigInteger(range.get(2 * i));
      BigInteger max =
          range.get(2 * i + 1) == null ? BigInteger.ZERO : new BigInteger(range.get(2 * i + 1));
      String name = huge.get(i);
      if (min.compareTo(LONG_MIN) >= 0 && max.compareTo(LONG_MAX) <= 0) {
        targets.put(name, new Leaf("BIGINT"));
      } else if (min.abs().compareTo(DECIMAL_38) <= 0 && max.abs().compareTo(DECIMAL_38) <= 0) {
        targets.put(name, new Leaf("DECIMAL(38,0)"));
      } else {
        BigInteger worst = max.abs().compareTo(min.abs()) >= 0 ? max : min;
        throw new UnsupportedColumnTypeException(
            "column '"
                + name
                + "' ("
                + columns.get(name)
                + ") holds "
                + worst
                + ", beyond Spark's widest exact number, DECIMAL(38,0)"
                + " (at most 38 digits); cast it in your query: CAST("
                + Identifiers.quoteDouble(name)
                + " AS DOUBLE) (approximate) or CAST("
                + Identifiers.quoteDouble(name)
                + " AS VARCHAR) (exact, as text)");
      }
    }
    return targets;
  }
}
