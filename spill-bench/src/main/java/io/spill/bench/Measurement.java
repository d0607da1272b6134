package io.spill.bench;

/**
 * The result of one case at one size.
 *
 * @param direction {@code Spark -> DuckDB} or {@code DuckDB -> Spark}
 * @param name the case
 * @param rows rows moved per run
 * @param medianSeconds the median wall time of the timed runs
 * @param runs how many timed runs (after one warm-up)
 * @param heapPeakBytes the largest heap peak of the timed runs
 * @param rssPeakBytes the largest process RSS peak of the timed runs
 * @param failure null, or why the case failed (for example an OutOfMemoryError)
 */
record Measurement(
    String direction,
    String name,
    long rows,
    double medianSeconds,
    int runs,
    long heapPeakBytes,
    long rssPeakBytes,
    String failure) {

  double rowsPerSecond() {
    return failure != null || medianSeconds <= 0 ? Double.NaN : rows / medianSeconds;
  }
}
