package io.spill.spi;

/**
 * A run's lease in a store was not renewed in time (the store was unreachable or refused the
 * renewals for minutes), so other runs may take its files for a stale run's: the run commits
 * nothing more there until a renewal succeeds. The message names the store and how long ago the
 * lease was last renewed.
 */
public class LeaseExpiredException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what lapsed, and the fix
   */
  public LeaseExpiredException(String message) {
    super(message);
  }
}
