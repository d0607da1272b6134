package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A frame in DuckDB: a table holding the rows (eager) or a view scanning Parquet files (lazy).
 * Valid until it is released ({@code engineToSpark(frame, true)}, {@link
 * DuckDbFrameEngine#release}) or the spiller is torn down.
 */
public final class DuckDbFrame {
  private final DuckDbFrameEngine engine;
  private final String table;
  private final boolean lazy;
  private final AtomicBoolean released = new AtomicBoolean();

  DuckDbFrame(DuckDbFrameEngine engine, String quotedTable, boolean lazy) {
    this.engine = engine;
    this.table = quotedTable;
    this.lazy = lazy;
  }

  /**
   * Runs a query in which the table name {@code this} means this frame, for example
   * {@code SELECT region, sum(sales) AS sales FROM this GROUP BY region}. The result of an eager
   * frame is a new eager frame (a table); of a lazy frame, a new lazy frame (a view, computed when
   * used).
   *
   * @param query DuckDB SQL; {@code this} is replaced outside strings, quoted names and comments
   * @return a new frame; this one is unchanged
   */
  public DuckDbFrame sql(String query) {
    requireNonNull(query, "query is null");
    requireUsable(engine);
    return engine.create(SqlThis.bind(query, table), lazy);
  }

  /** The number of rows (a lazy frame scans its files' metadata or data to count them). */
  public long count() {
    requireUsable(engine);
    return engine.queryLong("SELECT count(*) FROM " + table);
  }

  /** The column names in order. */
  public List<String> columns() {
    requireUsable(engine);
    return List.copyOf(engine.describe(table).keySet());
  }

  /** The DuckDB type of each column, in order ({@code name -> type}). */
  public java.util.Map<String, String> columnTypes() {
    requireUsable(engine);
    return java.util.Collections.unmodifiableMap(engine.describe(table));
  }

  /** The engine's JDBC connection; query this frame by {@link #tableName()}. Do not close it. */
  public Connection connection() {
    return engine.connection();
  }

  /** The quoted name of the table or view behind this frame, for use in SQL. */
  public String tableName() {
    return table;
  }

  /** Whether this frame scans files instead of holding rows. */
  public boolean isLazy() {
    return lazy;
  }

  /** Whether this frame was released. */
  public boolean isReleased() {
    return released.get();
  }

  DuckDbFrameEngine engine() {
    return engine;
  }

  boolean markReleased() {
    return released.compareAndSet(false, true);
  }

  void requireUsable(DuckDbFrameEngine by) {
    if (by != engine) {
      throw new IllegalArgumentException(this + " belongs to another DuckDB engine");
    }
    if (released.get()) {
      throw new IllegalStateException(this + " was released; keep the frame"
          + " (engineToSpark(frame, false)) or load it again");
    }
  }

  @Override
  public String toString() {
    return "DuckDbFrame[" + table + (lazy ? ", lazy" : "") + (released.get() ? ", released" : "")
        + "]";
  }
}
