package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What spill does with {@code NOT NULL}: exactly what Spark's own Parquet write-and-read does.
 * Spark's Parquet reader makes every column and every nested field nullable (its documentation:
 * "all columns are automatically converted to be nullable for compatibility reasons"), so a {@code
 * NOT NULL} that Spark declared never survives a Parquet file, Spark's own included; spill's round
 * trip through an engine gives the very schema, nullability included, that Spark's own round trip
 * gives.
 */
public final class Nullability {
  private Nullability() {}

  /**
   * Checks it, eager and lazy, on columns and fields that Spark declares {@code NOT NULL} at the
   * top level, in a struct, an array and a map.
   *
   * @param spill a spiller on the engine under test
   * @param dir an empty folder for Spark's own files
   * @param <F> the engine's frame type
   */
  public static <F> void check(VolumeSpiller<F> spill, Path dir) {
    Dataset<Row> df =
        SparkTestSession.get()
            .sql(
                "SELECT 1 AS a, named_struct('x', 1, 'y', array(2)) AS s,"
                    + " map('k', named_struct('z', 3)) AS m");
    assertThat(df.schema().fields()[1].dataType().sql()).contains("NOT NULL");
    String own = dir.toUri().toString();
    df.write().parquet(own);
    StructType sparks = SparkTestSession.get().read().parquet(own).schema();
    for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
      Dataset<Row> back = spill.engineToSpark(spill.sparkToEngine(df, how));
      assertThat(back.schema().json()).as("%s", how).isEqualTo(sparks.json());
      SparkSamples.assertSameRows(df.collectAsList(), back.collectAsList());
    }
  }
}
