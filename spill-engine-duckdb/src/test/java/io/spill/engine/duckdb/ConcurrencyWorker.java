package io.spill.engine.duckdb;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One participant of {@link ReliabilityConcurrencyTest}, in a thread or a child JVM: spills, brings
 * back and checkpoints its own rows (own names and one shared name), waits until every participant
 * is live, then, after a random pause, checks that its Datasets and lazy frames still read what
 * they read before, and tears down.
 */
final class ConcurrencyWorker {
  static final long ROWS = 5_000;

  private ConcurrencyWorker() {}

  /** Runs participant {@code id}; returns a line for the report, or throws what went wrong. */
  static String run(Path root, int id, Mode mode, Path barrier, int participants) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Random random = new Random(id * 7919L + System.nanoTime());
    try (VolumeSpiller<DuckDbFrame> spill =
        SpillerFixture.spiller(root.resolve("volume"), root.resolve("local"), mode)) {
      Dataset<Row> mine = spark.range(0, ROWS, 1, 2).selectExpr("id", id + " AS worker");
      DuckDbFrame eager = spill.sparkToEngine(mine, ToEngine.eager());
      DuckDbFrame lazy = spill.sparkToEngine(mine, ToEngine.lazy());
      check(spill.engineToSpark(eager), id, "engineToSpark of the eager frame");
      check(spill.engineToSpark(lazy), id, "engineToSpark of the lazy frame");
      spill.saveCheckpointSpark(mine, "own_" + id);
      spill.saveCheckpointFrame(eager, "own_local_" + id, Storage.LOCAL);
      spill.saveCheckpointFrame(eager, "shared");
      Dataset<Row> own = spill.loadCheckpointSpark("own_" + id);
      check(own, id, "own checkpoint");
      Dataset<Row> shared = spill.loadCheckpointSpark("shared");
      long sharedWriter = writer(shared, "the shared checkpoint");
      DuckDbFrame sharedLazy = spill.scanCheckpointFrame("shared");
      DuckDbFrame ownLocal = spill.scanCheckpointFrame("own_local_" + id, Storage.LOCAL);

      Files.createDirectories(barrier);
      Files.writeString(barrier.resolve("ready-" + id), "");
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (count(barrier) < participants) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("not every participant got ready in 5 minutes");
        }
        Thread.sleep(50);
      }
      Thread.sleep(random.nextInt(2000)); // tear down in a random order

      check(own, id, "own checkpoint, read again after the others worked");
      if (writer(shared, "the shared checkpoint, read again") != sharedWriter) {
        throw new IllegalStateException("the shared checkpoint's Dataset changed under us");
      }
      long lazyRows = spill.engineToSpark(sharedLazy).count();
      if (lazyRows != ROWS) {
        throw new IllegalStateException(
            "the lazy frame over the shared checkpoint reads " + lazyRows + " rows");
      }
      check(spill.engineToSpark(ownLocal), id, "own LOCAL checkpoint, lazily");
      check(spill.engineToSpark(lazy), id, "own lazy spill, read again");
      return "participant "
          + id
          + " ("
          + mode
          + ") ok; it saw the shared checkpoint of "
          + sharedWriter;
    }
  }

  private static long count(Path barrier) throws Exception {
    try (Stream<Path> s = Files.list(barrier)) {
      return s.count();
    }
  }

  private static void check(Dataset<Row> df, int id, String what) {
    List<Row> r = df.groupBy("worker").count().collectAsList();
    if (r.size() != 1 || r.get(0).getInt(0) != id || r.get(0).getLong(1) != ROWS) {
      throw new IllegalStateException(what + " of participant " + id + " reads " + r);
    }
  }

  private static long writer(Dataset<Row> df, String what) {
    List<Row> r = df.groupBy("worker").count().collectAsList();
    if (r.size() != 1 || r.get(0).getLong(1) != ROWS) {
      throw new IllegalStateException(what + " is not one writer's rows: " + r);
    }
    return r.get(0).getInt(0);
  }
}
