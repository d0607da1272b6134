package io.spill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The suite on a classic session of whatever Spark is on the classpath. */
class ClassicSessionTest extends CompatibilitySuite {
  @Override
  SparkSession spark() {
    return SparkTestSession.get();
  }

  @Test
  void runsOnTheSparkAndScalaTheBuildAsksFor() {
    // The matrix passes what it put on the classpath; a mix-up would test the wrong Spark.
    assertThat(spark().version())
        .isEqualTo(System.getProperty("spill.expected.spark", spark().version()));
    assertThat(scala.util.Properties.versionNumberString())
        .startsWith(
            System.getProperty(
                "spill.expected.scala", scala.util.Properties.versionNumberString()));
    System.out.println(
        "compatibility: Spark "
            + spark().version()
            + ", Scala "
            + scala.util.Properties.versionNumberString()
            + ", Java "
            + System.getProperty("java.version"));
  }
}
