package io.spill.engine.duckdb;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/** An adapter knows spill only through the SPI: the DuckDB engine uses DuckDB and the JDK. */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiDuckDbAndTheJdk() {
    AdapterRules.check("io.spill.engine.duckdb", "org.duckdb..", "com.sun.management..");
  }
}
