package io.spill.engine.duckdb;

import io.spill.spi.PrecisionLossException;
import io.spill.spi.TimestampNormalizer;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.helpers.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns DuckDB's {@code TIMESTAMP_NS} (and {@code TIMESTAMP_MS}, {@code TIMESTAMP_S}) into
 * microsecond {@code TIMESTAMP}s, at the top level and inside STRUCT, LIST, ARRAY and MAP, by
 * truncation toward the past. {@code TIMESTAMP WITH TIME ZONE} is already microseconds in DuckDB
 * and stays as it is, so instants and the zoned/local distinction survive.
 */
final class DuckDbTimestampNormalizer implements TimestampNormalizer<DuckDbFrame> {
  private final DuckDbFrameEngine engine;

  DuckDbTimestampNormalizer(DuckDbFrameEngine engine) {
    this.engine = engine;
  }

  @Override
  public DuckDbFrame normalize(DuckDbFrame frame, TimestampPolicy policy) {
    frame.requireUsable(engine);
    Map<String, String> columns = engine.describe(frame.tableName());
    List<String> select = new ArrayList<>();
    boolean changed = false;
    for (Map.Entry<String, String> c : columns.entrySet()) {
      DuckDbType type = DuckDbType.parse(c.getValue());
      String col = Identifiers.quoteDouble(c.getKey());
      String micros = SparkPortableTypes.toMicros(c.getKey(), type, col);
      if (micros.equals(col)) {
        select.add(col);
        continue;
      }
      changed = true;
      if (policy == TimestampPolicy.FAIL_ON_PRECISION_LOSS && SparkPortableTypes.hasNanos(type)) {
        long lossy =
            engine.queryLong(
                "SELECT count(*) FROM "
                    + frame.tableName()
                    + " WHERE CAST("
                    + micros
                    + " AS "
                    + type.sql()
                    + ") IS DISTINCT FROM "
                    + col);
        if (lossy > 0) {
          throw new PrecisionLossException(
              "column '"
                  + c.getKey()
                  + "' ("
                  + c.getValue()
                  + ") has "
                  + lossy
                  + " row(s) with digits below the microsecond, which Spark"
                  + " cannot hold; round them in your query, or use TimestampPolicy.TRUNCATE");
        }
      }
      select.add(micros + " AS " + col);
    }
    if (!changed) {
      return frame;
    }
    return engine.create(
        "SELECT " + String.join(", ", select) + " FROM " + frame.tableName(), true);
  }
}
