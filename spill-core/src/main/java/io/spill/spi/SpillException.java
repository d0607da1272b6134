package io.spill.spi;

/**
 * The base of every error spill raises. Unchecked: a spill failure is a programming or
 * configuration error the caller fixes, not a condition it retries around. Every message says what
 * went wrong and how to fix it.
 */
public class SpillException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public SpillException(String message) {
    super(message);
  }

  /**
   * @param message what happened, and the fix
   * @param cause the underlying failure
   */
  public SpillException(String message, Throwable cause) {
    super(message, cause);
  }
}
