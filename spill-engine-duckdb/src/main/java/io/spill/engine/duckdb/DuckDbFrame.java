package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A frame in DuckDB: a temporary table holding the rows (eager) or a temporary view (lazy: scanning
 * Parquet files, or a query over other frames, computed when used). Temporary objects belong to
 * this engine's connection: they never collide with another process's, and never outlive the
 * engine, even in a database file.
 *
 * <p>Close a frame to free it ({@code try (DuckDbFrame f = ...)}); {@code close()} is idempotent
 * and harmless after {@code engineToSpark(frame, true)}. A closed frame refuses use with {@link
 * IllegalStateException}, and so does a lazy frame derived from it (a view that would read a
 * dropped table); an eager frame derived from it holds its own rows and stays usable. Frames are
 * also freed at teardown.
 */
public final class DuckDbFrame implements AutoCloseable {
  private final DuckDbFrameEngine engine;
  private final String table;
  private final boolean lazy;
  private final List<DuckDbFrame> sources;
  private final String origin;
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * @param origin what a lazy frame reads, for its errors (the Parquet files); null if nothing
   *     outside the engine
   */
  DuckDbFrame(
      DuckDbFrameEngine engine,
      String quotedTable,
      boolean lazy,
      List<DuckDbFrame> sources,
      String origin) {
    this.engine = engine;
    this.table = quotedTable;
    this.lazy = lazy;
    this.sources = List.copyOf(sources);
    this.origin = origin;
  }

  /**
   * Runs a query in which the table name {@code this} means this frame, for example {@code SELECT
   * region, sum(sales) AS sales FROM this GROUP BY region}. {@code this} is bound as a common table
   * expression, so it means the frame exactly where DuckDB reads a table name; strings, comments,
   * columns and aliases named {@code this} are left alone. One statement per query. The result of
   * an eager frame is a new eager frame; of a lazy frame, a new lazy frame.
   *
   * @param query DuckDB SQL with {@code this} as a table name
   * @return a new frame; this one is unchanged
   * @throws IllegalArgumentException if the query holds more than one statement
   */
  public DuckDbFrame sql(String query) {
    return sql(query, Map.of());
  }

  /**
   * Runs a query in which {@code this} and each name in {@code frames} stand for a frame, for
   * joins: {@code orders.sql("SELECT * FROM this JOIN customers USING (customer_id)",
   * Map.of("customers", customers))}. Names are SQL identifiers (letters, digits, '_'), compared
   * without case, never {@code this}; they take precedence over tables of the same name. The result
   * is lazy if any of the frames is.
   *
   * @param query one statement, in which {@code this} and each name stand for frames
   * @param frames more frames by name
   * @return a new frame
   * @throws IllegalArgumentException for a bad or duplicate name, a frame of another engine, or
   *     more than one statement
   */
  public DuckDbFrame sql(String query, Map<String, DuckDbFrame> frames) {
    requireNonNull(query, "query is null");
    requireNonNull(frames, "frames is null");
    requireUsable(engine);
    Map<String, DuckDbFrame> all = new LinkedHashMap<>();
    all.put("this", this);
    frames.forEach(
        (name, frame) -> {
          requireNonNull(name, "a frame name is null");
          if (name.equalsIgnoreCase("this")) {
            throw new IllegalArgumentException(
                "'this' always means the frame sql() is called on;"
                    + " give the other frame another name");
          }
          all.put(name, frame);
        });
    return engine.sql(query, all);
  }

  /**
   * The number of rows (a lazy frame scans its files' metadata or data to count them).
   *
   * @return the number of rows
   */
  public long count() {
    requireUsable(engine);
    return engine.queryLong("SELECT count(*) FROM " + table);
  }

  /**
   * The column names in order.
   *
   * @return the column names
   */
  public List<String> columns() {
    requireUsable(engine);
    return List.copyOf(engine.describe(table).keySet());
  }

  /**
   * The DuckDB type of each column, in order ({@code name -> type}).
   *
   * @return the column names with their DuckDB types
   */
  public Map<String, String> columnTypes() {
    requireUsable(engine);
    return Collections.unmodifiableMap(engine.describe(table));
  }

  /**
   * The engine's JDBC connection; query this frame by {@link #tableName()}. Do not close it.
   *
   * @return the engine's connection
   */
  public Connection connection() {
    return engine.connection();
  }

  /**
   * The quoted name of the table or view behind this frame, for use in SQL.
   *
   * @return the quoted name
   */
  public String tableName() {
    return table;
  }

  /**
   * Whether this frame computes from files or other frames when used, instead of holding rows.
   *
   * @return whether the frame is a view
   */
  public boolean isLazy() {
    return lazy;
  }

  /**
   * Whether this frame was closed (or released).
   *
   * @return whether it was released
   */
  public boolean isReleased() {
    return released.get();
  }

  /** Drops the frame's table or view. Idempotent. */
  @Override
  public void close() {
    engine.release(this);
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
      throw new IllegalStateException(
          this
              + " was closed (or released); keep the frame"
              + " (engineToSpark(frame, false)) or load it again");
    }
    for (DuckDbFrame source : sources) {
      if (source.isReleased()) {
        throw new IllegalStateException(
            this
                + " is a lazy frame computed from "
                + source
                + ", which was closed; keep the source open while you use this frame, or derive"
                + " an eager frame from it first");
      }
      source.requireUsable(by);
    }
  }

  @Override
  public String toString() {
    return "DuckDbFrame["
        + table
        + (lazy ? ", lazy" : "")
        + (origin == null ? "" : ", reading " + origin)
        + (released.get() ? ", closed" : "")
        + "]";
  }

  /** A frame name as DuckDB compares it. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
