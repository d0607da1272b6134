package io.spill.storage.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** An adapter depends on spill-core's SPI and its own library only, never on another adapter. */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiAndTheJdk() {
    noClasses().that().resideInAPackage("io.spill.storage.local..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.storage.local..", "io.spill.spi..", "java..")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spill.storage.local"));
  }
}
