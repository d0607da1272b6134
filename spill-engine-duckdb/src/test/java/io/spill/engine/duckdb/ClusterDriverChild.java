package io.spill.engine.duckdb;

import io.spill.Storage;
import io.spill.StorageUnavailableException;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link ChildJvmTest}: a driver whose Spark master is a (local) cluster, so
 * Spark's executors are not the driver. Prints what it saw, then exits without teardown so that
 * only the shutdown hook can clean up.
 */
public final class ClusterDriverChild {
  private ClusterDriverChild() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    SparkSession spark =
        SparkSession.builder()
            .master("local-cluster[1,1,1024]")
            .appName("spill-cluster-guard")
            // No Spark distribution here, so executors cannot start; keep the application alive
            // anyway: the guard under test acts before any job runs.
            .config("spark.deploy.maxExecutorRetries", "-1")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    System.out.println("IS_LOCAL " + spark.sparkContext().isLocal());
    VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .localDir(root.resolve("local"))
            .build();
    System.out.println("RUN " + spill.runId());
    try {
      spill.saveCheckpointSpark(spark.range(1).toDF(), "cp", Storage.LOCAL);
      System.out.println("GUARD MISSING");
    } catch (StorageUnavailableException e) {
      System.out.println("GUARD " + e.getMessage());
    }
    try {
      spill.sparkToEngine(spark.range(1).toDF(), ToEngine.eager());
      System.out.println("GUARD MISSING");
    } catch (StorageUnavailableException e) {
      System.out.println("GUARD " + e.getMessage());
    }
    // No teardown, no spark.stop(): the JVM shutdown hook must remove this run's files.
    System.exit(0);
  }
}
