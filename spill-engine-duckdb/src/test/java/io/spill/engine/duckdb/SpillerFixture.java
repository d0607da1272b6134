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

  /** Rows of {@code a} and {@code b} are the same multiset, and the schemas' types match. */
  static void assertSameData(Dataset<Row> expected, Dataset<Row> actual) {
    org.assertj.core.api.Assertions.assertThat(actual.schema().fields())
        .extracting(f -> f.name() + " " + f.dataType().sql())
        .containsExactlyElementsOf(java.util.Arrays.stream(expected.schema().fields())
            .map(f -> f.name() + " " + f.dataType().sql()).toList());
    org.assertj.core.api.Assertions.assertThat(actual.collectAsList())
        .containsExactlyInAnyOrderElementsOf(expected.collectAsList());
  }

  static SparkSession spark() {
    return SparkTestSession.get();
  }
}
