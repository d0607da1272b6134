package io.spill.spark;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link SparkFrames#applyColumnComments} did.
 *
 * @param table the table, as given
 * @param changed columns whose comment was set
 * @param unchanged columns whose comment already had that text
 * @param unknownColumns names given that the table has no column for (nothing was applied)
 */
public record CommentReport(
    String table, List<String> changed, List<String> unchanged, List<String> unknownColumns) {
  /**
   * Copies the lists.
   *
   * @param table the table, as given
   * @param changed columns whose comment was set
   * @param unchanged columns whose comment already had that text
   * @param unknownColumns names given that the table has no column for (nothing was applied)
   */
  public CommentReport {
    requireNonNull(table, "table is null");
    changed = List.copyOf(changed);
    unchanged = List.copyOf(unchanged);
    unknownColumns = List.copyOf(unknownColumns);
  }

  @Override
  public String toString() {
    return table
        + ": changed "
        + changed
        + ", unchanged "
        + unchanged
        + (unknownColumns.isEmpty() ? "" : ", unknown columns " + unknownColumns);
  }
}
