package io.spill.engine.arrow;

import io.spill.spi.WriteResult;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What the engine wrote, as Spark reads it: the tests' way back from a frame to Spark. */
final class WrittenBack {
  private WrittenBack() {}

  /** Writes {@code frame} into folder {@code out} (which must not exist) and reads it in Spark. */
  static Dataset<Row> write(ArrowFrameEngine engine, ArrowFrame frame, Path out) {
    return read(out, engine.write(frame, out.toString(), 1L << 27));
  }

  /** The files {@code written} names in folder {@code out}, read by Spark. */
  static Dataset<Row> read(Path out, WriteResult written) {
    return SparkTestSession.get()
        .read()
        .parquet(
            written.files().stream()
                .map(f -> out.resolve(f).toUri().toString())
                .toArray(String[]::new));
  }
}
