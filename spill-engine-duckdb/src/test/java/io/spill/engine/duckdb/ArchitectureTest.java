package io.spill.engine.duckdb;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/**
 * An adapter knows spill only through the SPI: the DuckDB engine uses DuckDB, parquet-java (for
 * footers and INT96 values, as Spark reads them), Arrow (Spark's Arrow batches, through the C
 * stream interface), SLF4J and the JDK.
 */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiDuckDbParquetAndTheJdk() {
    AdapterRules.check(
        "io.spill.engine.duckdb",
        "org.duckdb..",
        "org.apache.parquet..",
        "org.apache.arrow..",
        "org.slf4j..",
        "com.sun.management..");
  }
}
