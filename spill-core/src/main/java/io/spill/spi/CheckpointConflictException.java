package io.spill.spi;

/**
 * A checkpoint save did not commit because another writer committed that checkpoint while the save
 * ran. Raised only on stores that support {@link SupportsConditionalWrite}; the other writer's
 * version stays, and the failed save's data is removed.
 */
public class CheckpointConflictException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public CheckpointConflictException(String message) {
    super(message);
  }
}
