package io.spill.spi;

/**
 * A store could not be reached or refused access: a missing bucket or volume, wrong credentials,
 * a wrong region, an endpoint that does not answer. The message names what failed and the fix,
 * and never holds a credential.
 */
public class StorageAccessException extends SpillException {
  private static final long serialVersionUID = 1L;

  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
