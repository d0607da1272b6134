package io.spill.storage.s3;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link S3CrashTest}, which kills it with SIGKILL at a random moment: saves
 * checkpoint {@code crash_cp} on the parent's S3 server over and over, each time with a new
 * generation in every row, alternately through Spark and through DuckDB (an upload). Arguments:
 * endpoint, location, first generation, rows.
 */
public final class S3CrashChild {
  private S3CrashChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("s3.endpoint", args[0]);
    options.put("s3.region", "us-east-1");
    options.put("s3.path-style-access", "true");
    options.put("s3.access-key-id", S3TestServer.ACCESS_KEY);
    options.put("s3.secret-access-key", S3TestServer.SECRET_KEY);
    long generation = Long.parseLong(args[2]);
    long rows = Long.parseLong(args[3]);
    SparkSession spark = SparkTestSession.get();
    VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store(args[1])
            .options(options)
            .localDir(Files.createTempDirectory("spill-s3-crash-"))
            .mode(Mode.DEV)
            .shutdownHook(false)
            .build();
    System.out.println("RUN " + spill.runId());
    while (true) {
      var df =
          spark
              .range(0, rows, 1, 4)
              .selectExpr("id", generation + "L AS generation", "uuid() AS payload");
      System.out.println("SAVING " + generation);
      if (generation % 2 == 0) {
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
