package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.ToEngine;
import io.spill.testkit.ChildJvm;
import io.spill.testkit.SparkLocalCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Arrow path where Spark's executors are not in the driver's JVM, as on a multi-node cluster: a
 * driver on Spark's local cluster (a child JVM, with an executor JVM of its own) receives each
 * partition's batches as a task result, and the data arrives as it does from executors in the
 * driver's JVM (this suite's local session), in order; batches that pass the limit there fail the
 * transfer, and the session goes on.
 */
class ClusterArrowTest extends DevSpillerTest {

  @Test
  void batchesFromAnExecutorInAnotherJvmArriveAsTaskResults() throws Exception {
    try (ChildJvm child =
        new ChildJvm(
            SparkLocalCluster.environment(tmp.resolve("spark-home")),
            ClusterArrowChild.class,
            "1g",
            tmp.toString())) {
      assertThat(child.awaitExit(240, TimeUnit.SECONDS))
          .as("child ended:%n%s", child.output())
          .isTrue();
      String output = child.output();
      assertThat(output).as("child JVM output").contains("IS_LOCAL false").contains("DONE");
      assertThat(output.lines().filter(l -> l.startsWith("ROW ")).map(ClusterArrowTest::decoded))
          .as("every type, from an executor in another JVM, as from one in this JVM")
          .containsExactlyElementsOf(
              ClusterArrowChild.rows(
                  spill.sparkToEngine(ClusterArrowChild.everyType(), ToEngine.arrow())));
      assertThat(child.line("EVERY_TYPE"))
          .startsWith("EVERY_TYPE rows 4 |")
          .contains("(Arrow batches; arrow())")
          .containsPattern("\\(Spark \\d+\\.\\d{3} s encoding, duckdb ")
          .doesNotContain("driver's JVM");
      assertThat(child.line("ORDER"))
          .as("five partitions' batches, in the Dataset's order")
          .startsWith("ORDER descending 50000 |")
          .doesNotContain("driver's JVM");
      assertThat(child.line("OVERFLOW"))
          .as("task results past the limit fail the transfer")
          .startsWith("OVERFLOW error ToEngine.arrow(): the Dataset's Arrow batches passed")
          .contains("the limit of 4,194,304 bytes");
      assertThat(child.line("AFTER")).isEqualTo("AFTER rows 10");
    }
  }

  private static String decoded(String rowLine) {
    return new String(Base64.getDecoder().decode(rowLine.substring(4)), StandardCharsets.UTF_8);
  }
}
