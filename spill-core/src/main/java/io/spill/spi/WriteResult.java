package io.spill.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a {@link FrameEngine} wrote.
 *
 * @param files the Parquet files written, as names relative to the target directory
 * @param rows the number of rows written
 * @param columns the written columns in order
 */
public record WriteResult(List<String> files, long rows, List<ColumnSchema> columns) {
  /**
   * Checks the components.
   *
   * @param files the Parquet files written, as names relative to the target directory
   * @param rows the number of rows written
   * @param columns the written columns in order
   */
  public WriteResult {
    files = List.copyOf(requireNonNull(files, "files is null"));
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
  }
}
