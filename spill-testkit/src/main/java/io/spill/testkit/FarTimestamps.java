package io.spill.testkit;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Far timestamps through an engine, pinned: 0001-01-01, 1677-09-21 (the smallest nanosecond
 * timestamp), 2262-04-12 (the largest) and 9999-12-31 23:59:59.999999, as {@code TIMESTAMP} and
 * {@code TIMESTAMP_NTZ}, at the top level and inside a struct, an array and a map, in sessions that
 * write {@code INT96}, {@code TIMESTAMP_MICROS} and {@code TIMESTAMP_MILLIS}: through the engine
 * eager and lazy, and through checkpoints saved from Spark and from the engine. What comes back
 * equals what Spark itself reads from its own files in that session (a {@code TIMESTAMP_MILLIS}
 * session keeps milliseconds: Spark drops the rest when it writes).
 */
public final class FarTimestamps {
  /** The values, as Spark SQL literals without their type prefix. */
  public static final List<String> VALUES =
      List.of(
          "0001-01-01 00:00:00",
          "1677-09-21 00:12:43.145224",
          "2262-04-12 23:47:16.854775",
          "9999-12-31 23:59:59.999999");

  /**
   * The values of {@code spark.sql.parquet.outputTimestampType} tried: all three in the full tier;
   * in the quick tier {@code INT96} (Spark's default, decoded by each engine) and {@code
   * TIMESTAMP_MILLIS} (which Spark truncates).
   */
  public static final List<String> SESSIONS =
      Soak.isFull()
          ? List.of("INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS")
          : List.of("INT96", "TIMESTAMP_MILLIS");

  private static final String OUTPUT_TYPE = "spark.sql.parquet.outputTimestampType";

  private FarTimestamps() {}

  /**
   * One row per value: {@code ts} and {@code ntz} at the top level, the same in a struct {@code s},
   * in an array {@code a} and in a map {@code m}.
   *
   * @return the Dataset
   */
  public static Dataset<Row> frame() {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < VALUES.size(); i++) {
      String ts = "TIMESTAMP'" + VALUES.get(i) + "Z'";
      String ntz = "TIMESTAMP_NTZ'" + VALUES.get(i) + "'";
      sql.append(i == 0 ? "" : " UNION ALL ")
          .append("SELECT ")
          .append(i)
          .append(" AS id, ")
          .append(ts)
          .append(" AS ts, ")
          .append(ntz)
          .append(" AS ntz, named_struct('t', ")
          .append(ts)
          .append(", 'n', ")
          .append(ntz)
          .append(") AS s, array(")
          .append(ts)
          .append(", ")
          .append(ntz)
          .append(") AS a, map(")
          .append(ntz)
          .append(", ")
          .append(ts)
          .append(") AS m");
    }
    return SparkTestSession.get().sql(sql.toString());
  }

  /**
   * Runs every path for every session, and fails on the first difference, naming the session and
   * the path. The session's setting is restored after each.
   *
   * @param spill a spiller on the engine under test
   * @param dir an empty folder for Spark's own files
   * @param <F> the engine's frame type
   */
  public static <F> void check(VolumeSpiller<F> spill, Path dir) {
    SparkSession spark = SparkTestSession.get();
    String before = spark.conf().get(OUTPUT_TYPE);
    try {
      for (String session : SESSIONS) {
        spark.conf().set(OUTPUT_TYPE, session);
        Dataset<Row> df = frame();
        Dataset<Row> expected = sparksOwnReading(df, dir.resolve(session));
        for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
          F frame = spill.sparkToEngine(df, how);
          same(session, how + " sandwich", expected, spill.engineToSpark(frame));
        }
        String name = "far_" + session.toLowerCase(java.util.Locale.ROOT);
        spill.saveCheckpointSpark(df, name);
        same(
            session,
            "checkpoint from Spark, loaded as Spark",
            expected,
            spill.loadCheckpointSpark(name));
        F loaded = spill.loadCheckpointFrame(name);
        same(session, "checkpoint from Spark, eager frame", expected, spill.engineToSpark(loaded));
        F scanned = spill.scanCheckpointFrame(name);
        same(session, "checkpoint from Spark, lazy frame", expected, spill.engineToSpark(scanned));
        spill.saveCheckpointFrame(spill.loadCheckpointFrame(name), name + "_frame");
        same(
            session,
            "checkpoint from the engine",
            expected,
            spill.loadCheckpointSpark(name + "_frame"));
      }
    } finally {
      spark.conf().set(OUTPUT_TYPE, before);
    }
  }

  private static void same(
      String session, String path, Dataset<Row> expected, Dataset<Row> actual) {
    try {
      SparkSamples.assertSameData(expected, actual);
    } catch (AssertionError e) {
      throw new AssertionError(
          "far timestamps differ in a " + session + " session, " + path + ": " + e.getMessage(), e);
    }
  }

  /** What Spark reads from its own files of {@code df}, written in the current session. */
  private static Dataset<Row> sparksOwnReading(Dataset<Row> df, Path out) {
    df.write().parquet(out.toUri().toString());
    return SparkTestSession.get().read().parquet(out.toUri().toString());
  }
}
