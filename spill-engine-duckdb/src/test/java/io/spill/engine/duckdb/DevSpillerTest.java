package io.spill.engine.duckdb;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A DEV spiller per test on local Spark, a local store in a test folder, and DuckDB. */
abstract class DevSpillerTest {
  @TempDir Path tmp;
  VolumeSpiller<DuckDbFrame> spill;

  @BeforeEach
  void openSpiller() {
    spill = SpillerFixture.spiller(tmp.resolve("volume"), tmp.resolve("local"), Mode.DEV);
  }

  @AfterEach
  void closeSpiller() {
    spill.close();
  }
}
