package io.spill.bench;

import io.spill.VolumeSpiller;
import io.spill.engine.arrow.ArrowEngine;
import io.spill.engine.arrow.ArrowFrame;
import io.spill.engine.arrow.ArrowFrameEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.duckdb.DuckDBConnection;

/**
 * The Arrow cases: the Parquet files of a checkpoint spill saved from Spark, read into Arrow by the
 * Arrow engine (eager: every batch in memory, with and without the engine's kept memory; lazy:
 * every batch streamed and dropped) and into DuckDB by {@code read_parquet} (a table made of every
 * column), on the same files.
 */
final class ArrowBench implements AutoCloseable {
  static final String DUCKDB = "DuckDB read_parquet into a table";
  static final String EAGER = "Arrow engine, eager (every batch in memory)";
  static final String LAZY = "Arrow engine, lazy (every batch streamed)";
  static final String EAGER_FRESH = "Arrow engine, eager, arrow.retain-memory=0";
  private static final String CHECKPOINT = "arrow-bench";

  private final VolumeSpiller<ArrowFrame> spill;
  private final ArrowFrameEngine fresh;
  private final List<String> files;

  /** Saves {@code source} as a checkpoint in a local store under {@code dir}. */
  ArrowBench(SparkSession spark, Dataset<Row> source, Path dir) throws IOException {
    Path store = dir.resolve("store");
    spill =
        VolumeSpiller.builder(spark)
            .engine(ArrowEngine.create())
            .store(store.toUri().toString())
            .localDir(dir.resolve("local"))
            .build();
    try {
      spill.saveCheckpointSpark(source, CHECKPOINT);
      Path data = store.resolve("_spill/checkpoints/" + CHECKPOINT);
      try (Stream<Path> walk = Files.walk(data)) {
        files =
            walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                .sorted()
                .map(Path::toString)
                .toList();
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("the checkpoint under " + data + " has no Parquet files");
      }
    } catch (IOException | RuntimeException e) {
      spill.close();
      throw e;
    }
    fresh = ArrowEngine.create(Map.of("arrow.retain-memory", "0"));
  }

  /** The committed Parquet files every case reads. */
  List<String> files() {
    return files;
  }

  List<BenchCase> cases(DuckDBConnection duck) {
    ArrowFrameEngine engine = (ArrowFrameEngine) spill.engine();
    String list =
        files.stream()
            .map(f -> "'" + f.replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    return List.of(
        arrowCase(DUCKDB, () -> duckDbLoad(duck, list)),
        arrowCase(
            EAGER,
            () -> {
              try (ArrowFrame f = engine.read(files, null, false)) {
                return f.rowCount();
              }
            }),
        arrowCase(
            EAGER_FRESH,
            () -> {
              try (ArrowFrame f = fresh.read(files, null, false)) {
                return f.rowCount();
              }
            }),
        arrowCase(
            LAZY,
            () -> {
              long rows = 0;
              try (ArrowFrame f = engine.read(files, null, true);
                  ArrowReader r = f.reader()) {
                while (r.loadNextBatch()) {
                  rows += r.getVectorSchemaRoot().getRowCount();
                }
              }
              return rows;
            }));
  }

  private static long duckDbLoad(DuckDBConnection duck, String list) throws SQLException {
    String table = "arrow_bench_" + UUID.randomUUID().toString().replace("-", "");
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE TABLE " + table + " AS SELECT * FROM read_parquet(" + list + ")");
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
        r.next();
        return r.getLong(1);
      } finally {
        s.execute("DROP TABLE " + table);
      }
    }
  }

  private static BenchCase arrowCase(String name, Cases.Action action) {
    return Cases.of(BenchCase.PARQUET_TO_ARROW, name, action);
  }

  @Override
  public void close() {
    try (fresh;
        spill) {
      spill.deleteCheckpoint(CHECKPOINT);
    }
  }
}
