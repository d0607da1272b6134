package io.spill.spi;

/**
 * Runs one SQL statement through the Spark session of a run (classic or Spark Connect), for a store
 * that manages its container with DDL ({@code CREATE VOLUME}). The SPI stays free of Spark: spill
 * hands a store this, not the session.
 */
@FunctionalInterface
public interface SqlRunner {

  /**
   * Runs {@code statement} to completion.
   *
   * @param statement one SQL statement, its identifiers validated and quoted by the caller
   * @throws RuntimeException whatever the session throws (Spark's {@code AnalysisException} and
   *     {@code ParseException} too, although Java sees them as checked)
   */
  void run(String statement);
}
