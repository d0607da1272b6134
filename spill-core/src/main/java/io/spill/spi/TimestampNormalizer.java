package io.spill.spi;

/**
 * Makes an engine's frame readable by Spark before it is written to Parquet: Spark holds timestamps
 * in microseconds and cannot read Parquet {@code TIMESTAMP(NANOS)}.
 *
 * @param <F> the engine's frame type
 */
@FunctionalInterface
public interface TimestampNormalizer<F> {

  /**
   * Returns a frame with the same rows and column names in which every timestamp, at the top level
   * and inside structs, lists and maps, has at most microsecond precision. A timestamp with a time
   * zone stays one and keeps its instant; one without stays one and keeps its wall-clock value.
   * Other columns are unchanged. May return {@code frame} itself if nothing needs changing; never
   * modifies {@code frame}.
   *
   * @param frame the frame to write
   * @param policy what to do with digits below the microsecond
   * @return a frame whose timestamps Spark can read
   * @throws PrecisionLossException under {@link TimestampPolicy#FAIL_ON_PRECISION_LOSS} if a value
   *     has sub-microsecond digits; the message names the column
   */
  F normalize(F frame, TimestampPolicy policy);
}
