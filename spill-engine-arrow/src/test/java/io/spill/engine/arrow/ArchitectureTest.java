package io.spill.engine.arrow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * An engine depends on spill-core's ports, Arrow, Parquet (with the Hadoop Configuration its
 * reader and writer take), Jackson (Spark's schema JSON), SLF4J and the JDK; all but the ports
 * are what Spark ships.
 */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiArrowParquetJacksonSlf4jAndTheJdk() {
    noClasses().that().resideInAPackage("io.spill.engine.arrow..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.engine.arrow..", "io.spill.spi..", "org.apache.arrow..",
            "org.apache.parquet..", "org.apache.hadoop.conf..", "com.fasterxml.jackson..",
            "org.slf4j..", "java..")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spill.engine.arrow"));
  }
}
