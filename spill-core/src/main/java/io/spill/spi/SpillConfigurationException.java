package io.spill.spi;

/** A setting spill cannot use: an unknown option key, a missing module, a bad value. */
public class SpillConfigurationException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public SpillConfigurationException(String message) {
    super(message);
  }

  /**
   * @param message what happened, and the fix
   * @param cause the underlying failure
   */
  public SpillConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
