package io.spill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.Soak;
import io.spill.testkit.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case's peak RSS measured in a JVM of its own, on the source files this JVM wrote. */
class FreshRssTest {
  @TempDir Path tmp;

  @Test
  void aChildJvmRunsTheCaseOnceAndReportsItsPeak() throws Exception {
    Assumptions.assumeTrue(
        Soak.isFull(),
        "FreshRssTest starts a JVM with Spark (about 25 s): it runs in the full tier (-Pfull)");
    // lineitem, so that the child builds the cases of the workload it is given
    long rows = TpchData.source(SparkTestSession.get(), 0.001, tmp.resolve("source")).count();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long rss =
        FreshRss.measure(
            Workload.LINEITEM,
            rows,
            tmp.resolve("source"),
            tmp.resolve("work"),
            "collectAsList + Appender",
            new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(rss)
        .as(log.toString(StandardCharsets.UTF_8))
        .isGreaterThan(64L << 20) // a JVM running Spark and DuckDB
        .isLessThan(Runtime.getRuntime().maxMemory() + (8L << 30));
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("fresh JVM collectAsList + Appender");
  }
}
