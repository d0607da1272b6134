package io.spill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import org.apache.arrow.c.Data;
import org.apache.arrow.vector.VectorSchemaRoot;
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
    // and arrow-c-data at the Arrow version of that Spark, which DuckDB's Arrow scans need
    String arrow = VectorSchemaRoot.class.getPackage().getImplementationVersion();
    assertThat(arrow).isEqualTo(System.getProperty("spill.expected.arrow", arrow));
    assertThat(Data.class.getPackage().getImplementationVersion()).isEqualTo(arrow);
    System.out.println(
        "compatibility: Spark "
            + spark().version()
            + ", Scala "
            + scala.util.Properties.versionNumberString()
            + ", Arrow "
            + arrow
            + ", Java "
            + System.getProperty("java.version"));
  }
}
