package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a separate JVM can show: a driver on a cluster master (Spark's executors cannot see
 * the driver's disk) and the shutdown hook that tears a run down when the program ends without
 * teardown.
 */
class ChildJvmTest {
  @TempDir Path tmp;

  @Test
  void onAClusterLocalStorageIsRefusedAndTheShutdownHookCleansUp() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-XX:"))
        .toList());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClusterDriverChild.class.getName());
    cmd.add(tmp.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(out, StandardCharsets.UTF_8);
    assertThat(output).as("child JVM output").contains("IS_LOCAL false").doesNotContain("GUARD MISSING");
    assertThat(output.lines().filter(l -> l.startsWith("GUARD ")).toList())
        .as("child JVM output:%n%s", output).hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("driver's local disk")
            .contains("local-cluster").contains("Storage.VOLUME"));
    String runId = output.lines().filter(l -> l.startsWith("RUN ")).findFirst().orElseThrow()
        .substring(4);
    assertThat(tmp.resolve("local/_spill")).isDirectory();
    assertThat(tmp.resolve("local/_spill").resolve(runId)).doesNotExist();
  }
}
