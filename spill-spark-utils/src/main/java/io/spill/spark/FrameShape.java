package io.spill.spark;

/**
 * The size of a Dataset.
 *
 * @param rows the number of rows
 * @param columns the number of top-level columns
 */
public record FrameShape(long rows, int columns) {
  /**
   * Checks the counts.
   *
   * @param rows the number of rows
   * @param columns the number of top-level columns
   */
  public FrameShape {
    if (rows < 0 || columns < 0) {
      throw new IllegalArgumentException("a shape cannot be negative: " + rows + " x " + columns);
    }
  }

  /** {@code (rows, columns)}, as Polars prints a shape. */
  @Override
  public String toString() {
    return "(" + rows + ", " + columns + ")";
  }
}
