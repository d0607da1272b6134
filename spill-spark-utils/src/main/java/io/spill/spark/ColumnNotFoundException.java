package io.spill.spark;

/** A column name that the Dataset does not have; the message lists the columns it has. */
public class ColumnNotFoundException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which column, and the columns there are
   */
  public ColumnNotFoundException(String message) {
    super(message);
  }
}
