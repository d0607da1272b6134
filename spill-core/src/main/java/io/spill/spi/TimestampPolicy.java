package io.spill.spi;

/** What to do with timestamp digits finer than the microsecond, which Spark cannot hold. */
public enum TimestampPolicy {
  /** Drop the sub-microsecond digits (round toward negative infinity). The default. */
  TRUNCATE,
  /** Fail with {@link PrecisionLossException} if any value has sub-microsecond digits. */
  FAIL_ON_PRECISION_LOSS
}
