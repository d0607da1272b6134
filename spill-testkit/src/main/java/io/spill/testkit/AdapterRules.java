package io.spill.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The dependency rule every adapter (a store or an engine) follows, as an ArchUnit rule a
 * third-party adapter applies to itself too: its main code uses from spill only the SPI ({@code
 * io.spill.spi} and its sub-packages), besides its own package, the libraries it names and the JDK.
 * Core's API and internals change without notice; the SPI is what spill keeps compatible.
 *
 * <pre>
 * &#64;Test
 * void usesOnlyTheSpi() {
 *   AdapterRules.check("com.example.spill.gcs", "com.google.cloud.storage..", "org.slf4j..");
 * }
 * </pre>
 */
public final class AdapterRules {
  private AdapterRules() {}

  /**
   * The rule for the adapter in {@code adapterPackage}.
   *
   * @param adapterPackage the adapter's package, such as {@code io.spill.storage.s3}
   * @param libraries ArchUnit package patterns of the libraries it may use besides the SPI and the
   * @return the rule JDK, such as {@code software.amazon.awssdk..}
   */
  public static ArchRule onlySpi(String adapterPackage, String... libraries) {
    List<String> allowed =
        new ArrayList<>(List.of(adapterPackage + "..", "io.spill.spi..", "java.."));
    allowed.addAll(List.of(libraries));
    return noClasses()
        .that()
        .resideInAPackage(adapterPackage + "..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(allowed.toArray(String[]::new))
        .because("an adapter knows spill only through its SPI (io.spill.spi..)");
  }

  /**
   * Checks {@link #onlySpi} against the adapter's main classes (tests excluded).
   *
   * @param adapterPackage the adapter's package
   * @param libraries ArchUnit package patterns of the libraries it may use
   */
  public static void check(String adapterPackage, String... libraries) {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(adapterPackage);
    onlySpi(adapterPackage, libraries).check(main);
  }
}
