package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.ChildJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark.driver.maxResultSize} bounds the Arrow path's limit: a driver started with 2m (in a
 * child JVM, since the suite's session has the default 1g and a running SparkContext keeps its
 * setting) spills what auto would otherwise hold, and refuses a forced arrow() past it, with
 * spill's own message rather than Spark's aborted job.
 */
class MaxResultSizeTest {
  private static final String LIMIT = "2,097,152 bytes";

  @TempDir Path tmp;

  @Test
  void theArrowLimitIsBoundedBySparkDriverMaxResultSize() throws Exception {
    try (ChildJvm child = new ChildJvm(MaxResultSizeChild.class, "1g", tmp.toString())) {
      assertThat(child.awaitExit(240, TimeUnit.SECONDS))
          .as("child ended:%n%s", child.output())
          .isTrue();
      String output = child.output();
      assertThat(child.line("AUTO_ESTIMATE"))
          .as("a plan estimated over maxResultSize is spilled without collecting")
          .startsWith("AUTO_ESTIMATE rows 200000 |")
          .contains("(eager; auto: Spark estimates")
          // auto's threshold (a fifth of the limit) shrinks with the limit: 2 MiB / 5
          .containsPattern(
              "over auto's Arrow threshold of 419,4\\d\\d bytes \\(scaled to"
                  + " spark.driver.maxResultSize\\)");
      assertThat(child.line("AUTO_SET"))
          .as("a threshold set by the user is bounded by the cut limit, not shrunk with it")
          .startsWith("AUTO_SET rows 40000 |")
          .contains("(Arrow batches; auto: Spark estimates 480,000 bytes, within 1,048,576 bytes");
      assertThat(child.line("AUTO_BATCHES"))
          .as("batches that outgrow maxResultSize are dropped, and the Dataset spilled")
          .startsWith("AUTO_BATCHES rows 2000000 |")
          .contains("(eager; auto: the Arrow batches passed the limit of " + LIMIT);
      assertThat(child.line("ARROW_BATCHES"))
          .as("a forced arrow() past maxResultSize fails with spill's message")
          .startsWith("ARROW_BATCHES error ToEngine.arrow(): the Dataset's Arrow batches passed")
          .contains("the limit of " + LIMIT)
          .contains("bounded by spark.driver.maxResultSize");
      assertThat(child.line("ARROW_SMALL"))
          .as("what fits still takes Arrow batches")
          .startsWith("ARROW_SMALL rows 10000 |")
          .contains("(Arrow batches; arrow()");
      assertThat(output).contains("DONE");
    }
  }
}
