package io.spill.engine.duckdb;

import io.spill.VolumeSpiller;
import io.spill.testkit.SparkSamples;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the reliability tests check after each save: one whole generation, in Spark and DuckDB. */
final class Generations {
  private Generations() {}

  /**
   * The one generation checkpoint {@code name} holds, as Spark and as DuckDB load it: {@code
   * {spark, duckdb}}, each -1 where the rows are not exactly one whole generation of {@code rows}.
   */
  static long[] loaded(VolumeSpiller<DuckDbFrame> spill, String name, long rows)
      throws SQLException {
    long spark = SparkSamples.oneGeneration(spill.loadCheckpointSpark(name), rows);
    DuckDbFrame frame = spill.loadCheckpointFrame(name);
    try (var st = frame.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT generation), min(generation) FROM "
                    + frame.tableName())) {
      rs.next();
      long duck = rs.getLong(1) == rows && rs.getLong(2) == 1 ? rs.getLong(3) : -1;
      return new long[] {spark, duck};
    }
  }
}
