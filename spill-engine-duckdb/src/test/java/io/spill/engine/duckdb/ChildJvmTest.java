package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.ChildJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a separate JVM can show: a driver on a cluster master (Spark's executors cannot see the
 * driver's disk) and the shutdown hook that tears a run down when the program ends without
 * teardown.
 */
class ChildJvmTest {
  @TempDir Path tmp;

  @Test
  void onAClusterLocalStorageIsRefusedAndTheShutdownHookCleansUp() throws Exception {
    try (ChildJvm child = new ChildJvm(ClusterDriverChild.class, "1g", tmp.toString())) {
      assertThat(child.awaitExit(180, TimeUnit.SECONDS))
          .as("child ended:%n%s", child.output())
          .isTrue();
      String output = child.output();
      assertThat(output)
          .as("child JVM output")
          .contains("IS_LOCAL false")
          .doesNotContain("GUARD MISSING");
      assertThat(output.lines().filter(l -> l.startsWith("GUARD ")).toList())
          .as("child JVM output:%n%s", output)
          .hasSize(2)
          .allSatisfy(
              l ->
                  assertThat(l)
                      .contains("driver's local disk")
                      .contains("local-cluster")
                      .contains("Storage.VOLUME"));
      String runId =
          output.lines().filter(l -> l.startsWith("RUN ")).findFirst().orElseThrow().substring(4);
      assertThat(tmp.resolve("local/_spill/runs")).isDirectory();
      assertThat(tmp.resolve("local/_spill/runs").resolve(runId)).doesNotExist();
    }
  }
}
