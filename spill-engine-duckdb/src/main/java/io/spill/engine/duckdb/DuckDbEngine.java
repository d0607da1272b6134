package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Creates DuckDB engines for {@code VolumeSpiller.builder(spark).engine(...)}. */
public final class DuckDbEngine {
  private DuckDbEngine() {}

  /**
   * An engine on a new in-memory DuckDB database.
   *
   * @return a new engine, which the caller (or the spiller it is given to) closes
   */
  public static DuckDbFrameEngine create() {
    return new DuckDbFrameEngine("jdbc:duckdb:");
  }

  /**
   * An engine on a DuckDB database file, created if missing: tables outlive the process, and DuckDB
   * can spill to disk beside it.
   *
   * @param databaseFile the database file, made if missing
   * @return a new engine
   */
  public static DuckDbFrameEngine create(Path databaseFile) {
    requireNonNull(databaseFile, "databaseFile is null");
    return new DuckDbFrameEngine("jdbc:duckdb:" + databaseFile.toAbsolutePath());
  }
}
