package io.spill.spi;

/** A checkpoint was asked for by a name that has no committed checkpoint in that storage. */
public class CheckpointNotFoundException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public CheckpointNotFoundException(String message) {
    super(message);
  }
}
