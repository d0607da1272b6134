package io.spill.spi;

/**
 * An engine column whose type has no faithful Spark counterpart. The message names the column, the
 * type and the cast that would make it portable.
 */
public class UnsupportedColumnTypeException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public UnsupportedColumnTypeException(String message) {
    super(message);
  }
}
