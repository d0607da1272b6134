package io.spill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rounds of a fair measurement: every case in every position, warm-ups untimed. */
class RotationTest {
  private static BenchCase named(String name, List<String> ran) {
    return Cases.of(
        BenchCase.SPARK_TO_DUCKDB,
        name,
        () -> {
          ran.add(name);
          return 10;
        });
  }

  @Test
  void everyCaseRunsFirstAndLastOverTheRounds() {
    List<String> ran = new ArrayList<>();
    List<BenchCase> cases = List.of(named("a", ran), named("b", ran), named("c", ran));
    Set<String> first = new HashSet<>();
    Set<String> last = new HashSet<>();
    Set<String> pairs = new HashSet<>();
    for (int round = 0; round < 6; round++) {
      List<BenchCase> order = Rotation.order(cases, round);
      assertThat(order).containsExactlyInAnyOrderElementsOf(cases);
      first.add(order.get(0).name());
      last.add(order.get(order.size() - 1).name());
      for (int i = 1; i < order.size(); i++) {
        pairs.add(order.get(i - 1).name() + order.get(i).name());
      }
    }
    assertThat(first).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(last).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(pairs).as("each case follows each other case").hasSize(6);
  }

  @Test
  void warmUpRoundsRunButAreNotTimedAndTheRangeHoldsTheMedian() {
    List<String> ran = new ArrayList<>();
    List<BenchCase> cases = List.of(named("a", ran), named("b", ran));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Measurement> ms =
        Rotation.measure(cases, 10, 2, 3, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(ran).hasSize(2 * (2 + 3));
    assertThat(ms)
        .hasSize(2)
        .allSatisfy(
            m -> {
              assertThat(m.failure()).isNull();
              assertThat(m.runs()).isEqualTo(3);
              assertThat(m.minSeconds()).isLessThanOrEqualTo(m.medianSeconds());
              assertThat(m.medianSeconds()).isLessThanOrEqualTo(m.maxSeconds());
            });
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("warm-up round 2", "timed  round 5");
  }

  @Test
  void aCaseThatMovesTheWrongCountFailsAloneAndStopsRunning() {
    List<String> ran = new ArrayList<>();
    BenchCase wrong = Cases.of(BenchCase.SPARK_TO_DUCKDB, "wrong", () -> 9);
    List<Measurement> ms =
        Rotation.measure(
            List.of(named("a", ran), wrong),
            10,
            1,
            2,
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(ms.get(0).failure()).isNull();
    assertThat(ms.get(1).failure()).isEqualTo("failed: IllegalStateException");
    assertThat(ran).hasSize(3);
  }
}
