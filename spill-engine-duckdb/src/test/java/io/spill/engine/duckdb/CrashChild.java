package io.spill.engine.duckdb;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link ReliabilityCrashTest}, which kills it with SIGKILL at a random
 * moment: saves checkpoint {@code crash_cp} over and over, each time with a new generation in every
 * row, through Spark or through DuckDB.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    boolean throughSpark = args[1].equals("spark");
    long generation = Long.parseLong(args[2]);
    long rows = Long.parseLong(args[3]);
    SparkSession spark = SparkTestSession.get();
    VolumeSpiller<DuckDbFrame> spill =
        SpillerFixture.spiller(root.resolve("volume"), root.resolve("local"), Mode.DEV);
    System.out.println("RUN " + spill.runId());
    while (true) {
      var df =
          spark
              .range(0, rows, 1, 4)
              .selectExpr("id", generation + "L AS generation", "uuid() AS payload");
      System.out.println("SAVING " + generation);
      if (throughSpark) {
        spill.saveCheckpointSpark(df, "crash_cp");
      } else {
        DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.eager());
        spill.saveCheckpointFrame(frame, "crash_cp");
        spill.engine().release(frame);
      }
      System.out.println("COMMITTED " + generation);
      generation++;
    }
  }
}
