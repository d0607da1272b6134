package io.spill;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.spill.internal.spark.ArrowBatches;
import io.spill.internal.spark.SparkParquet;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillStore;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dependency rules of spill-core (docs/ARCHITECTURE.md). */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.spill");

  @Test
  void coreUsesNoEngineStoreLibraryOrAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.duckdb..",
            "software.amazon..",
            "com.amazonaws..",
            "com.databricks..",
            "io.spill.storage..",
            "io.spill.engine..",
            "io.spill.spark..")
        .check(CORE);
  }

  @Test
  void onlySparksArrowFormUsesArrow() {
    // Spark's own Arrow encoding of a Dataset (ToEngine.arrow), framed as an IPC stream for the
    // engines; Spark ships this Arrow. Nothing else in core knows Arrow.
    noClasses()
        .that()
        .haveNameNotMatching(Pattern.quote(ArrowBatches.class.getName()) + "(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.arrow..")
        .check(CORE);
  }

  @Test
  void coreHoldsNoStoreAndNoEngine() {
    classes()
        .that()
        .areNotInterfaces()
        .should()
        .notBeAssignableTo(SpillStore.class)
        .andShould()
        .notBeAssignableTo(FrameEngine.class)
        .because("stores and engines are adapters in modules of their own")
        .check(CORE);
  }

  @Test
  void nothingUsesHadoopAndOnlyTheClassicPathAsksForTheSparkContext() {
    // A Spark Connect session has neither: footers are read through the store port.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.hadoop..")
        .check(CORE);
    // The two classes that run Spark jobs themselves, each on classic sessions only.
    noClasses()
        .that()
        .haveNameNotMatching(
            "("
                + Pattern.quote(SparkParquet.class.getName())
                + "|"
                + Pattern.quote(ArrowBatches.class.getName())
                + ")(\\$.*)?")
        .should()
        .callMethod(org.apache.spark.sql.SparkSession.class, "sparkContext")
        .check(CORE);
  }

  @Test
  void theDomainImportsNeitherSparkNorParquet() {
    noClasses()
        .that()
        .resideInAPackage("io.spill.internal.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark..",
            "scala..",
            "org.apache.parquet..",
            "io.spill.internal",
            "io.spill.internal.spark..")
        .because(
            "the domain (checkpoints, runs and leases, purge) is tested against an"
                + " in-memory store, without Spark")
        .check(CORE);
  }

  @Test
  void theApiReachesTheInternalsOnlyThroughTheWiring() {
    noClasses()
        .that()
        .resideInAPackage("io.spill")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.spill.internal.domain..", "io.spill.internal.spark..", "org.apache.parquet..")
        .check(CORE);
  }

  @Test
  void spiHoldsOnlyInterfacesValueTypesAndExceptions() {
    classes()
        .that()
        .resideInAPackage("io.spill.spi")
        .should()
        .beInterfaces()
        .orShould()
        .beRecords()
        .orShould()
        .beEnums()
        .orShould()
        .beAssignableTo(RuntimeException.class)
        .check(CORE);
  }

  @Test
  void spiAndItsHelpersDependOnNothingButTheJdk() {
    noClasses()
        .that()
        .resideInAPackage("io.spill.spi..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.spill.spi..", "java..")
        .because("a third party writes an adapter against the SPI alone")
        .check(CORE);
  }
}
