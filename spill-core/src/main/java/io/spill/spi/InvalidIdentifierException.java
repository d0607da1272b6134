package io.spill.spi;

/**
 * A name (checkpoint, catalog, schema, volume, column) that spill refuses: it names the rule
 * broken.
 */
public class InvalidIdentifierException extends SpillException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, and the fix
   */
  public InvalidIdentifierException(String message) {
    super(message);
  }
}
