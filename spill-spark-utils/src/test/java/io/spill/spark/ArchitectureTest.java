package io.spill.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The utilities stand on Spark alone: no spill core, adapter or engine library. */
class ArchitectureTest {
  @Test
  void usesOnlySparkScalaAndTheJdk() {
    noClasses()
        .that()
        .resideInAPackage("io.spill.spark..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.spill.spark..", "org.apache.spark..", "scala..", "java..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.spill.spark"));
  }
}
