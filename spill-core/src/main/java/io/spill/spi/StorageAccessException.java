package io.spill.spi;

/**
 * A store could not be reached or refused access: a missing bucket or volume, wrong credentials, a
 * wrong region, an endpoint that does not answer. The message names what failed and the fix, and
 * never holds a credential.
 */
public class StorageAccessException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, and the fix; never a credential
   * @param cause the underlying failure
   */
  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
