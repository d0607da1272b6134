package io.spill.spi;

/** A setting spill cannot use: an unknown option key, a missing module, a bad value. */
public class SpillConfigurationException extends SpillException {
  private static final long serialVersionUID = 1L;

  public SpillConfigurationException(String message) {
    super(message);
  }

  public SpillConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
