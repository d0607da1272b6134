package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.VolumeSpiller;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's memory leaves the driver's JVM its room, and work beyond it spills inside the run. */
class MemoryTest {
  @TempDir Path tmp;

  private static String setting(DuckDbFrameEngine engine, String name) throws Exception {
    try (Statement s = engine.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT current_setting('" + name + "')")) {
      r.next();
      return r.getString(1);
    }
  }

  /** DuckDB prints sizes like "1.2 GiB" or "512.0 MiB". */
  private static long bytes(String size) {
    String[] parts = size.trim().split("\\s+");
    double n = Double.parseDouble(parts[0]);
    int shift =
        switch (parts[1]) {
          case "KiB" -> 10;
          case "MiB" -> 20;
          case "GiB" -> 30;
          case "TiB" -> 40;
          default -> throw new IllegalArgumentException(size);
        };
    return (long) (n * (1L << shift));
  }

  @Test
  void theDefaultLimitIsHalfOfWhatTheHeapLeaves() throws Exception {
    try (DuckDbFrameEngine engine = DuckDbEngine.create()) {
      long expected = DuckDbFrameEngine.defaultMemoryLimitBytes();
      long physical =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getTotalMemorySize();
      assertThat(expected)
          .isGreaterThanOrEqualTo(256L << 20)
          .isLessThanOrEqualTo(Math.max(256L << 20, (physical - Runtime.getRuntime().maxMemory())));
      assertThat(bytes(setting(engine, "memory_limit")))
          .isBetween(expected - (expected >> 5), expected + (expected >> 5));
    }
  }

  @Test
  void workBeyondTheLimitSpillsIntoTheRunsScratchFolderWhichTeardownRemoves() throws Exception {
    Path local = tmp.resolve("local");
    VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .localDir(local)
            .mode(Mode.DEV)
            .option("duckdb.memory-limit", "64MB")
            .option("duckdb.threads", "1")
            .shutdownHook(false)
            .build();
    DuckDbFrameEngine engine = spill.engine(DuckDbFrameEngine.class);
    Path scratch = local.resolve("_spill/scratch").resolve(spill.runId()).resolve("engine");
    assertThat(setting(engine, "temp_directory")).isEqualTo(scratch.toString());
    DuckDbFrame sorted =
        engine.sql(
            "SELECT range AS id, md5(range::VARCHAR) AS h" + " FROM range(1500000) ORDER BY h");
    assertThat(sorted.count()).isEqualTo(1_500_000);
    assertThat(scratch).as("DuckDB spilled there").isDirectory();
    spill.close();
    assertThat(local.resolve("_spill/scratch").resolve(spill.runId())).doesNotExist();
    assertThat(local.resolve("_spill/runs").resolve(spill.runId())).doesNotExist();
  }
}
