package io.spill.storage.uc;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/**
 * An adapter knows spill only through the SPI. The volume store also uses the local store's public
 * API (a volume's mount is a local file system: the mount mode does its file work with it), the
 * Databricks SDK, Spark's SQL API (DDL through the session), SLF4J and the JDK.
 */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiTheLocalStoreTheDatabricksSdkSparkSlf4jAndTheJdk() {
    AdapterRules.check(
        "io.spill.storage.uc",
        "io.spill.storage.local..",
        "com.databricks.sdk..",
        "org.apache.spark.sql..",
        "org.slf4j..");
  }
}
