package io.spill.spi;

/**
 * Whether a checkpoint save committed is unknown: writing its manifest failed, and reading the
 * manifest back to find out failed too. Nothing was deleted: if the commit landed, the checkpoint
 * is whole and loads; if not, the previous version stays, and the save's data goes at teardown or
 * with {@code purgeStaleRuns}. Listing or loading the checkpoint once the store answers tells
 * which.
 */
public class CheckpointCommitUnknownException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which checkpoint, what failed, and what to do
   * @param cause the failure of the manifest write
   */
  public CheckpointCommitUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
