package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.ChildJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails after its batches were counted against the Arrow limit, and is retried: what
 * the failed attempt counted is given back, so the retry's batches are not counted twice (they
 * would pass the limit here), and the Dataset arrives whole and in order. In a child JVM, since
 * only a master such as {@code local[2,2]} retries a task.
 */
class ArrowRetryTest {
  @TempDir Path tmp;

  @Test
  void aRetriedTasksBatchesAreCountedOnce() throws Exception {
    try (ChildJvm child = new ChildJvm(ArrowRetryChild.class, "1g", tmp.toString())) {
      assertThat(child.awaitExit(180, TimeUnit.SECONDS))
          .as("child ended:%n%s", child.output())
          .isTrue();
      String output = child.output();
      assertThat(output).contains("DONE");
      assertThat(child.line("RETRY"))
          .startsWith("RETRY rows 80000 ascending failed attempts 1 |")
          .contains("(Arrow batches; arrow())")
          .contains("encoding in the driver's JVM");
    }
  }
}
