package io.spill.bench;

/**
 * The result of one case at one size.
 *
 * @param direction {@code Spark -> DuckDB} or {@code DuckDB -> Spark}
 * @param name the case
 * @param rows rows moved per run
 * @param medianSeconds the median wall time of the timed runs
 * @param minSeconds the fastest timed run
 * @param maxSeconds the slowest timed run
 * @param runs how many timed runs (after the warm-up rounds)
 * @param heapPeakBytes the largest heap peak of the timed runs
 * @param rssPeakBytes the largest process RSS peak of the timed runs, or, for the Spark -> DuckDB
 *     cases, the peak of a fresh JVM that ran the case once ({@link FreshRss})
 * @param failure null, or why the case failed (for example an OutOfMemoryError)
 */
record Measurement(
    String direction,
    String name,
    long rows,
    double medianSeconds,
    double minSeconds,
    double maxSeconds,
    int runs,
    long heapPeakBytes,
    long rssPeakBytes,
    String failure) {

  /** This measurement with {@code rss} as its RSS peak (-1: none measured). */
  Measurement withRss(long rss) {
    return new Measurement(
        direction,
        name,
        rows,
        medianSeconds,
        minSeconds,
        maxSeconds,
        runs,
        heapPeakBytes,
        rss,
        failure);
  }

  double rowsPerSecond() {
    return failure != null || medianSeconds <= 0 ? Double.NaN : rows / medianSeconds;
  }
}
