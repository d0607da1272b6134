package io.spill.spi;

/**
 * Raised under {@link TimestampPolicy#FAIL_ON_PRECISION_LOSS} when a nanosecond timestamp has
 * digits below the microsecond that Spark cannot hold.
 */
public class PrecisionLossException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public PrecisionLossException(String message) {
    super(message);
  }
}
