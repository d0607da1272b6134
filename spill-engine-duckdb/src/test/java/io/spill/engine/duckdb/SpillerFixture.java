package io.spill.engine.duckdb;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/** Builds spillers on the shared local Spark, a local store in a test folder, and DuckDB. */
final class SpillerFixture {
  private SpillerFixture() {}

  static VolumeSpiller<DuckDbFrame> spiller(Path volume, Path local, Mode mode) {
    return VolumeSpiller.builder(SparkTestSession.get())
        .engine(DuckDbEngine.create())
        .store(volume.toUri().toString())
        .localDir(local)
        .mode(mode)
        .option("duckdb.threads", "2")
        .shutdownHook(false)
        .build();
  }

  /** Rows are the same multiset, and the schemas' types match. */
  static void assertSameData(Dataset<Row> expected, Dataset<Row> actual) {
    io.spill.testkit.SparkSamples.assertSameData(expected, actual);
  }

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  /**
   * Two rows in two tasks whose Spark write fails with "boom at 0" while the other task is still
   * inside its row for 1.5 s, and then writes it: a task that outlives its failed job.
   */
  static Dataset<Row> failingWithALateTask() {
    spark()
        .udf()
        .register(
            "fail_first_stall_second",
            (UDF1<Long, Long>)
                v -> {
                  if (v == 0) {
                    throw new IllegalStateException("boom at 0");
                  }
                  long until = System.nanoTime() + 1_500_000_000L;
                  while (System.nanoTime() < until) { // not a sleep: Spark interrupts it
                    Thread.onSpinWait();
                  }
                  return v;
                },
            DataTypes.LongType);
    return spark().range(0, 2, 1, 2).selectExpr("fail_first_stall_second(id) AS id");
  }
}
