package io.spill.spi;

import java.io.InputStream;
import java.util.Optional;

/**
 * An optional ability of a {@link FrameEngine}: it loads a Dataset that Spark encoded as Arrow
 * record batches, without files. spill hands it one Arrow IPC stream (the streaming format: a
 * schema message, record batches, an end marker) in Spark's own Arrow form of the Dataset: a Spark
 * {@code TIMESTAMP} is {@code Timestamp(MICROSECOND, zone)}, a {@code TIMESTAMP_NTZ} {@code
 * Timestamp(MICROSECOND)} without a zone, year-month intervals {@code Interval(YEAR_MONTH)},
 * day-time intervals {@code Duration(MICROSECOND)}, strings and binaries {@code Utf8}/{@code
 * Binary} (or their large forms when the session asks for them), structs, lists and maps as
 * themselves.
 *
 * <p>The frame must hold what {@link FrameEngine#read} would hold for the same Dataset spilled as
 * Parquet and read eagerly with its {@code sparkSchema}: the same columns, types and values, so
 * that the path a transfer took never shows. The stream is read once, in the calling thread; spill
 * closes it afterwards.
 *
 * @param <F> the engine's frame type
 */
public interface SupportsArrowStream<F> {

  /**
   * Why this engine cannot load Arrow streams in this JVM (a missing or mismatched native library,
   * for example), or empty if it can. spill then spills instead, and says why.
   *
   * @return the reason, or empty
   */
  default Optional<String> arrowStreamUnavailable() {
    return Optional.empty();
  }

  /**
   * Loads an Arrow IPC stream into a new eager frame.
   *
   * @param ipcStream the stream, in Arrow's IPC streaming format
   * @param sparkSchema the schema of the Dataset Spark encoded
   * @return a new eager frame
   * @throws UnsupportedColumnTypeException if a column has no counterpart in the engine
   * @throws SpillException if the stream cannot be read
   */
  F readArrowStream(InputStream ipcStream, SparkSchema sparkSchema);
}
