package io.spill.engine.duckdb;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
}
