package io.spill.bench;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.arrow.ArrowFrame;
import io.spill.engine.duckdb.DuckDbFrame;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The cases. Every Spark -> DuckDB case ends with the same query over all the rows in DuckDB, so
 * that a lazy frame does the same work as a loaded one; every DuckDB -> Spark case ends with Spark
 * reading every row (a {@code noop} write).
 */
final class Cases {
  /** The query each Spark -> DuckDB case runs on what it moved; {@code %s} is the table. */
  static final String USE =
      "SELECT count(*), sum(amount), max(name), min(ts), sum(CAST(flag AS"
          + " INT)), sum(qty), max(day) FROM %s";

  /** The DuckDB -> Spark case whose {@code id} is a HUGEINT. */
  static final String HUGEINT_CASE = "spill engineToSpark, id as HUGEINT";

  private Cases() {}

  /** The case of the default path, {@link ToEngine#auto()}. */
  static final String AUTO = "spill, auto (default)";

  /**
   * The Spark -> engine cases. {@code arrowSpill} has the Arrow engine, which runs no SQL: its case
   * ends with the frame's row count instead of the query.
   */
  static List<BenchCase> sparkToDuckDb(
      VolumeSpiller<DuckDbFrame> spill,
      VolumeSpiller<ArrowFrame> arrowSpill,
      Dataset<Row> source,
      DuckDBConnection duck,
      Path scratch) {
    ToEngine arrow = ToEngine.arrow().arrowLimitBytes(Long.MAX_VALUE);
    return List.of(
        loadAndUse(AUTO, spill, source, ToEngine.auto()),
        loadAndUse("spill, eager", spill, source, ToEngine.eager()),
        loadAndUse("Arrow batches -> DuckDB", spill, source, arrow),
        sparkCase(
            "Arrow batches -> Arrow engine",
            () -> {
              try (ArrowFrame f = arrowSpill.sparkToEngine(source, arrow)) {
                return f.rowCount();
              }
            }),
        loadAndUse("spill, lazy", spill, source, ToEngine.lazy()),
        sparkCase(
            "collectAsList + Appender", () -> appendAll(duck, source.collectAsList().iterator())),
        sparkCase("toLocalIterator + Appender", () -> appendAll(duck, source.toLocalIterator())),
        sparkCase(
            "floor: Spark Parquet write + read_parquet",
            () -> {
              Path dir = scratch.resolve("floor-" + UUID.randomUUID());
              source.write().parquet(dir.toUri().toString());
              try {
                return queryCount(
                    duck, String.format(USE, "read_parquet('" + dir + "/*.parquet')"));
              } finally {
                deleteTree(dir);
              }
            }));
  }

  /**
   * The DuckDB -> Spark cases over {@code frame}; {@code hugeInt} is the same rows with {@code id}
   * as a HUGEINT (what every integer {@code sum()} in DuckDB gives), which spill checks for range
   * before writing, so the two spill cases show what that check costs.
   */
  static List<BenchCase> duckDbToSpark(
      VolumeSpiller<DuckDbFrame> spill,
      DuckDbFrame frame,
      DuckDbFrame hugeInt,
      Dataset<Row> source,
      long localRowsLimit) {
    return List.of(
        new Simple(
            BenchCase.DUCKDB_TO_SPARK,
            "spill engineToSpark",
            Long.MAX_VALUE,
            () -> {
              Dataset<Row> back = spill.engineToSpark(frame);
              back.write().format("noop").mode("overwrite").save();
              return frame.count();
            }),
        new Simple(
            BenchCase.DUCKDB_TO_SPARK,
            HUGEINT_CASE,
            Long.MAX_VALUE,
            () -> {
              Dataset<Row> back = spill.engineToSpark(hugeInt);
              back.write().format("noop").mode("overwrite").save();
              return hugeInt.count();
            }),
        new Simple(
            BenchCase.DUCKDB_TO_SPARK,
            "JDBC ResultSet + createDataFrame(List<Row>)",
            localRowsLimit,
            () -> {
              List<Row> rows = new ArrayList<>();
              try (Statement s = frame.connection().createStatement();
                  ResultSet r = s.executeQuery("SELECT * FROM " + frame.tableName())) {
                int columns = r.getMetaData().getColumnCount();
                while (r.next()) {
                  Object[] values = new Object[columns];
                  for (int i = 0; i < columns; i++) {
                    values[i] = sparkValue(r.getObject(i + 1));
                  }
                  rows.add(RowFactory.create(values));
                }
              }
              source
                  .sparkSession()
                  .createDataFrame(rows, source.schema())
                  .write()
                  .format("noop")
                  .mode("overwrite")
                  .save();
              return rows.size();
            }));
  }

  /** Moves {@code source} into DuckDB as {@code how} says, runs the query, frees the frame. */
  private static BenchCase loadAndUse(
      String name, VolumeSpiller<DuckDbFrame> spill, Dataset<Row> source, ToEngine how) {
    return sparkCase(
        name,
        () -> {
          DuckDbFrame f = spill.sparkToEngine(source, how);
          long n = use(f);
          spill.engine().release(f);
          return n;
        });
  }

  private static BenchCase sparkCase(String name, Action action) {
    return of(BenchCase.SPARK_TO_DUCKDB, name, action);
  }

  /** A case run at every size. */
  static BenchCase of(String direction, String name, Action action) {
    return new Simple(direction, name, Long.MAX_VALUE, action);
  }

  static long use(DuckDbFrame frame) throws SQLException {
    return queryCount(frame.connection(), String.format(USE, frame.tableName()));
  }

  private static long queryCount(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Appends Spark rows through DuckDB's Appender, runs the query, drops the table. */
  private static long appendAll(DuckDBConnection duck, Iterator<Row> rows) throws SQLException {
    String table = "bench_" + UUID.randomUUID().toString().replace("-", "");
    try (Statement s = duck.createStatement()) {
      s.execute(
          String.format(
              "CREATE TABLE %s (id BIGINT, qty INTEGER, price DOUBLE, amount DECIMAL(18,2),"
                  + " name VARCHAR, category VARCHAR, day DATE, ts TIMESTAMPTZ, flag BOOLEAN,"
                  + " score FLOAT)",
              table));
    }
    try {
      try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
        while (rows.hasNext()) {
          Row r = rows.next();
          a.beginRow();
          a.append(r.getLong(0));
          a.append(r.getInt(1));
          a.append(r.getDouble(2));
          a.append((BigDecimal) r.get(3));
          a.append(r.getString(4));
          a.append(r.getString(5));
          a.append((LocalDate) r.get(6));
          Instant ts = (Instant) r.get(7);
          a.appendEpochMicros(ChronoUnit.MICROS.between(Instant.EPOCH, ts));
          a.append(r.getBoolean(8));
          a.append(r.getFloat(9));
          a.endRow();
        }
      }
      return queryCount(duck, String.format(USE, table));
    } finally {
      try (Statement s = duck.createStatement()) {
        s.execute("DROP TABLE " + table);
      }
    }
  }

  /** DuckDB's JDBC values as Spark's {@code createDataFrame} takes them. */
  private static Object sparkValue(Object v) {
    if (v instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @FunctionalInterface
  interface Action {
    long run() throws Exception;
  }

  private record Simple(String direction, String name, long maxRows, Action action)
      implements BenchCase {
    @Override
    public long run() throws Exception {
      return action.run();
    }
  }
}
