package io.spill;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md's dependency rules for spill-core. */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.spill");

  @Test
  void coreUsesNoEngineStoreLibraryOrAdapter() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "org.duckdb..", "org.apache.arrow..", "software.amazon..", "com.amazonaws..",
            "com.databricks..", "io.spill.storage..", "io.spill.engine..", "io.spill.spark..")
        .check(CORE);
  }

  @Test
  void nothingUsesHadoopAndOnlyTheClassicPathAsksForTheSparkContext() {
    // A Spark Connect session has neither: footers are read through the store port.
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.hadoop..")
        .check(CORE);
    noClasses().that().doNotHaveFullyQualifiedName(SparkParquet.class.getName())
        .should().callMethod(org.apache.spark.sql.SparkSession.class, "sparkContext")
        .check(CORE);
  }

  @Test
  void theLocalStoreIsAnAdapterOverTheSpiOnly() {
    noClasses().that().resideInAPackage("io.spill.local..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            "io.spill.local..", "io.spill.spi..", "java..")
        .check(CORE);
  }

  @Test
  void spiHoldsOnlyInterfacesValueTypesAndExceptions() {
    classes().that().resideInAPackage("io.spill.spi")
        .should().beInterfaces().orShould().beRecords().orShould().beEnums()
        .orShould().beAssignableTo(RuntimeException.class)
        .check(CORE);
  }

  @Test
  void spiDependsOnNothingButTheJdk() {
    noClasses().that().resideInAPackage("io.spill.spi")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.spill.spi", "java..")
        .check(CORE);
  }
}
