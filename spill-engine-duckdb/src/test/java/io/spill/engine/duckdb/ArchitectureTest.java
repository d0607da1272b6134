package io.spill.engine.duckdb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** An adapter depends on spill-core and its own library only, never on another adapter. */
class ArchitectureTest {
  @Test
  void usesOnlyCoreDuckDbAndTheJdk() {
    noClasses().that().resideInAPackage("io.spill.engine.duckdb..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.engine.duckdb..", "io.spill", "io.spill.spi..", "org.duckdb..", "java..",
            "com.sun.management..")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spill.engine.duckdb"));
  }
}
