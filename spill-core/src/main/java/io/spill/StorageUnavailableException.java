package io.spill;

import io.spill.spi.SpillException;

/**
 * A storage that the operation cannot use from where Spark runs: Spark's executors cannot reach the
 * driver's local disk on a multi-node cluster.
 */
public class StorageUnavailableException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what cannot reach what, and the fix
   */
  public StorageUnavailableException(String message) {
    super(message);
  }
}
