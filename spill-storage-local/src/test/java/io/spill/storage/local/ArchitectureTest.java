package io.spill.storage.local;

import io.spill.testkit.AdapterRules;
import org.junit.jupiter.api.Test;

/** An adapter knows spill only through the SPI: the local store needs nothing but the JDK. */
class ArchitectureTest {
  @Test
  void usesOnlyTheSpiAndTheJdk() {
    AdapterRules.check("io.spill.storage.local");
  }
}
