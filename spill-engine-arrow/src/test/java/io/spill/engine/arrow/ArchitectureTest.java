package io.spill.engine.arrow;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/**
 * An adapter knows spill only through the SPI: the Arrow engine uses Arrow, Parquet (with the
 * Hadoop Configuration its reader and writer take), Jackson (Spark's schema JSON in the footers it
 * writes), SLF4J and the JDK, all of which Spark ships.
 */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiArrowParquetJacksonSlf4jAndTheJdk() {
    AdapterRules.check(
        "io.spill.engine.arrow",
        "org.apache.arrow..",
        "org.apache.parquet..",
        "org.apache.hadoop.conf..",
        "com.fasterxml.jackson..",
        "org.slf4j..");
  }
}
