package io.spill.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A single-node engine on the Spark driver (DuckDB, Arrow) that reads the Parquet files Spark
 * spilled and writes Parquet files Spark reads back.
 *
 * <p>An engine owns its native resources until {@link #close()}. Frames it returns stay valid until
 * {@link #release} or {@link #close()}; a lazy frame also needs its files, which spill keeps until
 * teardown.
 *
 * @param <F> the engine's frame type
 */
public interface FrameEngine<F> extends AutoCloseable {

  /**
   * The engine's name, as {@link FrameEngineProvider#name()} and in logs, such as {@code duckdb}.
   *
   * @return the name
   */
  String name();

  /**
   * The class of the frames this engine returns, for typed lookups.
   *
   * @return the frame class
   */
  Class<F> frameType();

  /**
   * Reads committed Parquet files into a frame. spill passes exactly the files a writer committed,
   * never a directory or a glob.
   *
   * <p>Spark writes timestamps as the user's session says (INT96 by default, or {@code
   * TIMESTAMP_MICROS}/{@code MILLIS}); spill never changes that setting. When Spark wrote the
   * files, {@code sparkSchema} says what each column is, and the engine reads columns as it says,
   * whatever their physical type: a Spark {@code TIMESTAMP} (also inside structs, arrays and maps)
   * is an instant, a {@code TIMESTAMP_NTZ} a local date-time.
   *
   * @param files the files, as {@link SpillStore#engineUri(String)} locations; at least one (Spark
   *     writes a schema-only file for an empty Dataset)
   * @param sparkSchema the schema of the Dataset Spark wrote; null when an engine wrote the files,
   *     whose Parquet types then say what the columns are
   * @param lazy false: load the rows into the engine now, so the files may go; true: a frame that
   *     scans the files when it is used
   * @return a new frame
   * @throws SpillException if the files cannot be read
   */
  F read(List<String> files, SparkSchema sparkSchema, boolean lazy);

  /**
   * Writes a frame as Parquet files into a directory that does not exist yet, with timestamps in
   * microseconds. spill passes frames through {@link #timestampNormalizer()} first.
   *
   * @param frame the frame to write
   * @param directory the target, as a {@link SpillStore#engineUri(String)} location
   * @param targetFileBytes the size a file should roughly not exceed; a small frame is one file
   * @return what was written
   * @throws UnsupportedColumnTypeException if a column's type has no Spark counterpart
   * @throws SpillException if writing fails; partly written files are then in {@code directory},
   *     which spill never lists as committed
   */
  WriteResult write(F frame, String directory, long targetFileBytes);

  /**
   * Frees what the engine holds for a frame (a table, buffers). Idempotent; the frame is unusable
   * afterwards.
   *
   * @param frame a frame this engine returned
   */
  void release(F frame);

  /**
   * The normalizer spill applies to every frame before {@link #write}.
   *
   * @return the normalizer
   */
  TimestampNormalizer<F> timestampNormalizer();

  /**
   * The option namespace the engine reads, such as {@code duckdb}; empty if none.
   *
   * @return the namespace, or ""
   */
  default String optionNamespace() {
    return "";
  }

  /**
   * The option keys the engine understands, each starting with its namespace and a dot.
   *
   * @return the keys
   */
  default Set<String> optionKeys() {
    return Set.of();
  }

  /**
   * Applies options from {@code VolumeSpiller.Builder.option(key, value)}; keys are already
   * validated against {@link #optionKeys()}. The default accepts only an empty map.
   *
   * @param options keys in this engine's namespace
   * @throws SpillConfigurationException if a value is unusable
   */
  default void configure(Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new SpillConfigurationException(
          "engine '" + name() + "' takes no options, got " + options.keySet());
    }
  }

  /** Releases the engine's native resources. The default does nothing. */
  @Override
  default void close() {}
}
