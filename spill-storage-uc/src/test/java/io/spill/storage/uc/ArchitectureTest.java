package io.spill.storage.uc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * An adapter depends on spill-core's ports (and its public local store, which the mount mode
 * uses for the file work), its own libraries and the JDK; never on another adapter.
 */
class ArchitectureTest {
  @Test
  void usesOnlyCoreTheDatabricksSdkSparkSlf4jAndTheJdk() {
    noClasses().that().resideInAPackage("io.spill.storage.uc..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.storage.uc..", "io.spill.spi..", "io.spill.local..",
            "com.databricks.sdk..", "org.apache.spark.sql..", "org.slf4j..", "java..")
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spill.storage.uc"));
  }
}
