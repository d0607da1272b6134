package io.spill.spi;

import static java.util.Objects.requireNonNull;

/**
 * A column as the writer saw it, kept in checkpoint manifests.
 *
 * @param name the column name
 * @param type the writer's own type name (a Spark DDL type, a DuckDB type, ...)
 */
public record ColumnSchema(String name, String type) {
  /**
   * Checks the components.
   *
   * @param name the column name
   * @param type the writer's own type name (a Spark DDL type, a DuckDB type, ...)
   */
  public ColumnSchema {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
