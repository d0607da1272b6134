package io.spill.bench;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.arrow.ArrowFrame;
import io.spill.engine.duckdb.DuckDbFrame;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
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

  /** Spark's session setting of the rows per Arrow batch it encodes (10,000 by default). */
  static final String ARROW_BATCH_ROWS = "spark.sql.execution.arrow.maxRecordsPerBatch";

  /** The Arrow -> DuckDB case with larger batches, {@value #ARROW_BATCH_ROWS} set for it alone. */
  static final String ARROW_LARGE_BATCHES = "Arrow batches -> DuckDB, 131,072-row batches";

  /**
   * The Spark -> engine cases over {@code source}, a table of {@code workload}. {@code arrowSpill}
   * has the Arrow engine, which runs no SQL: its case ends with the frame's row count instead of
   * the query.
   */
  static List<BenchCase> sparkToDuckDb(
      Workload workload,
      VolumeSpiller<DuckDbFrame> spill,
      VolumeSpiller<ArrowFrame> arrowSpill,
      Dataset<Row> source,
      DuckDBConnection duck,
      Path scratch) {
    ToEngine arrow = ToEngine.arrow().arrowLimitBytes(Long.MAX_VALUE);
    String direction = workload.direction();
    return List.of(
        loadAndUse(workload, AUTO, spill, source, ToEngine.auto()),
        loadAndUse(workload, "spill, eager", spill, source, ToEngine.eager()),
        loadAndUse(workload, "Arrow batches -> DuckDB", spill, source, arrow),
        loadAndUse(
            workload,
            ARROW_LARGE_BATCHES,
            spill,
            source,
            arrow,
            Map.of(ARROW_BATCH_ROWS, "131072")),
        of(
            direction,
            "Arrow batches -> Arrow engine",
            () -> {
              try (ArrowFrame f = arrowSpill.sparkToEngine(source, arrow)) {
                return f.rowCount();
              }
            }),
        loadAndUse(workload, "spill, lazy", spill, source, ToEngine.lazy()),
        of(
            direction,
            "collectAsList + Appender",
            () -> appendAll(workload, duck, source.schema(), source.collectAsList().iterator())),
        of(
            direction,
            "toLocalIterator + Appender",
            () -> appendAll(workload, duck, source.schema(), source.toLocalIterator())),
        of(
            direction,
            "floor: Spark Parquet write + read_parquet",
            () -> {
              Path dir = scratch.resolve("floor-" + UUID.randomUUID());
              source.write().parquet(dir.toUri().toString());
              try {
                return queryCount(duck, workload.query("read_parquet('" + dir + "/*.parquet')"));
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
      Workload workload,
      String name,
      VolumeSpiller<DuckDbFrame> spill,
      Dataset<Row> source,
      ToEngine how) {
    return loadAndUse(workload, name, spill, source, how, Map.of());
  }

  /**
   * As {@link #loadAndUse(Workload, String, VolumeSpiller, Dataset, ToEngine)}, with the session
   * settings {@code sessionConf} in force during the case only (each restored after it).
   */
  private static BenchCase loadAndUse(
      Workload workload,
      String name,
      VolumeSpiller<DuckDbFrame> spill,
      Dataset<Row> source,
      ToEngine how,
      Map<String, String> sessionConf) {
    return of(
        workload.direction(),
        name,
        () -> {
          RuntimeConfig conf = source.sparkSession().conf();
          Map<String, String> before = new HashMap<>();
          sessionConf.forEach(
              (key, value) -> {
                before.put(key, conf.get(key, null));
                conf.set(key, value);
              });
          try {
            DuckDbFrame f = spill.sparkToEngine(source, how);
            long n = queryCount(f.connection(), workload.query(f.tableName()));
            spill.engine().release(f);
            return n;
          } finally {
            before.forEach(
                (key, value) -> {
                  if (value == null) {
                    conf.unset(key);
                  } else {
                    conf.set(key, value);
                  }
                });
          }
        });
  }

  /** A case run at every size. */
  static BenchCase of(String direction, String name, Action action) {
    return new Simple(direction, name, Long.MAX_VALUE, action);
  }

  /** Runs the synthetic table's query on {@code frame}; returns its row count. */
  static long use(DuckDbFrame frame) throws SQLException {
    return queryCount(frame.connection(), Workload.SYNTHETIC.query(frame.tableName()));
  }

  private static long queryCount(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * Appends Spark rows through DuckDB's Appender into a table of {@code schema}'s columns, runs the
   * workload's query, drops the table. Each column's values are appended with the Appender's method
   * for its type, as a hand-written loop over a known schema would.
   */
  private static long appendAll(
      Workload workload, DuckDBConnection duck, StructType schema, Iterator<Row> rows)
      throws SQLException {
    String table = "bench_" + UUID.randomUUID().toString().replace("-", "");
    StructField[] fields = schema.fields();
    ColumnAppender[] appenders = new ColumnAppender[fields.length];
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
    for (int i = 0; i < fields.length; i++) {
      Column column = column(fields[i].dataType(), i);
      ddl.append(i == 0 ? "" : ", ").append(fields[i].name()).append(' ');
      ddl.append(column.duckDbType());
      appenders[i] = column.appender();
    }
    try (Statement s = duck.createStatement()) {
      s.execute(ddl.append(')').toString());
    }
    try {
      try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
        while (rows.hasNext()) {
          Row r = rows.next();
          a.beginRow();
          for (int i = 0; i < appenders.length; i++) {
            if (r.isNullAt(i)) {
              a.appendNull();
            } else {
              appenders[i].append(a, r);
            }
          }
          a.endRow();
        }
      }
      return queryCount(duck, workload.query(table));
    } finally {
      try (Statement s = duck.createStatement()) {
        s.execute("DROP TABLE " + table);
      }
    }
  }

  /**
   * Column {@code i} of a benchmark table as the Appender cases take it: its DuckDB type, and how
   * to append its value read with the getter for its Spark type.
   */
  private static Column column(DataType type, int i) {
    if (type instanceof DecimalType d) {
      return new Column(
          "DECIMAL(" + d.precision() + "," + d.scale() + ")", (a, r) -> a.append(r.getDecimal(i)));
    }
    if (type instanceof LongType) {
      return new Column("BIGINT", (a, r) -> a.append(r.getLong(i)));
    }
    if (type instanceof IntegerType) {
      return new Column("INTEGER", (a, r) -> a.append(r.getInt(i)));
    }
    if (type instanceof DoubleType) {
      return new Column("DOUBLE", (a, r) -> a.append(r.getDouble(i)));
    }
    if (type instanceof FloatType) {
      return new Column("FLOAT", (a, r) -> a.append(r.getFloat(i)));
    }
    if (type instanceof StringType) {
      return new Column("VARCHAR", (a, r) -> a.append(r.getString(i)));
    }
    if (type instanceof DateType) {
      return new Column("DATE", (a, r) -> a.append(r.<LocalDate>getAs(i)));
    }
    if (type instanceof TimestampType) {
      return new Column(
          "TIMESTAMPTZ",
          (a, r) ->
              a.appendEpochMicros(ChronoUnit.MICROS.between(Instant.EPOCH, r.<Instant>getAs(i))));
    }
    if (type instanceof BooleanType) {
      return new Column("BOOLEAN", (a, r) -> a.append(r.getBoolean(i)));
    }
    throw new IllegalArgumentException("the Appender cases do not take " + type.sql());
  }

  /** A column's DuckDB type and its appender. */
  private record Column(String duckDbType, ColumnAppender appender) {}

  /** Appends one column's value of a row. */
  @FunctionalInterface
  private interface ColumnAppender {
    void append(DuckDBAppender appender, Row row) throws SQLException;
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
