package io.spill.spi;

/**
 * An optional ability of a {@link FrameEngine} whose frames can hold a time of day: spill tells it,
 * before each write of a frame for Spark, whether the Spark session reads {@code TIME} columns
 * ({@code spark.sql.timeType.enabled}, Spark 4.1 and later; off by default). An engine that is told
 * {@code false} refuses such columns with an {@link UnsupportedColumnTypeException} naming the
 * column and a cast; told {@code true}, it writes them as Parquet {@code TIME(MICROS)}, which Spark
 * reads as {@code TIME(6)}.
 */
public interface SupportsSparkTimeType {

  /**
   * Whether the Spark session that reads the engine's next writes reads {@code TIME}.
   *
   * @param enabled the session's {@code spark.sql.timeType.enabled}; false on a Spark without it
   */
  void sparkReadsTime(boolean enabled);
}
