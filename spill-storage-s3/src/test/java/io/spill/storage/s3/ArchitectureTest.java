package io.spill.storage.s3;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/** An adapter knows spill only through the SPI: the S3 store uses the AWS SDK, SLF4J, the JDK. */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiTheAwsSdkSlf4jAndTheJdk() {
    AdapterRules.check("io.spill.storage.s3", "software.amazon.awssdk..", "org.slf4j..");
  }
}
