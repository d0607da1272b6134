package io.spill.storage.s3;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** An adapter depends on spill-core and its own library only, never on another adapter. */
class ArchitectureTest {
  @Test
  void usesOnlyCoreTheAwsSdkSlf4jAndTheJdk() {
    noClasses().that().resideInAPackage("io.spill.storage.s3..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.storage.s3..", "io.spill.spi..", "software.amazon.awssdk..",
            "org.slf4j..", "java..")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spill.storage.s3"));
  }
}
