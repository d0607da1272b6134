package io.spill.spi.helpers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {
  @Test
  void runsEveryItemWithAtMostItsThreadsAtATime() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    try (BoundedParallel parallel = new BoundedParallel("test", 3)) {
      parallel.forEach(
          "work",
          IntStream.range(0, 40).boxed().toList(),
          i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleep(5);
            running.decrementAndGet();
            done.incrementAndGet();
          });
    }
    assertThat(done.get()).isEqualTo(40);
    assertThat(most.get()).isBetween(2, 3);
  }

  @Test
  void theFirstFailureComesOnceEveryActionEndedWithTheOthersSuppressed() {
    AtomicInteger ended = new AtomicInteger();
    try (BoundedParallel parallel = new BoundedParallel("test", 2)) {
      assertThatThrownBy(
              () ->
                  parallel.forEach(
                      "upload",
                      List.of(1, 2, 3, 4),
                      i -> {
                        try {
                          if (i % 2 == 0) {
                            throw new IllegalStateException("failed " + i);
                          }
                          sleep(200);
                        } finally {
                          ended.incrementAndGet();
                        }
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("failed 2")
          .satisfies(
              e -> assertThat(e.getSuppressed()).singleElement().asString().contains("failed 4"));
      assertThat(ended.get()).as("every action ended before the error came").isEqualTo(4);
    }
  }

  @Test
  void anInterruptedCallerCancelsTheActionsAndSaysSo() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (BoundedParallel parallel = new BoundedParallel("test", 1)) {
      Thread caller = Thread.currentThread();
      Thread interrupter =
          new Thread(
              () -> {
                try {
                  started.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return;
                }
                caller.interrupt();
              });
      interrupter.start();
      assertThatThrownBy(
              () ->
                  parallel.forEach(
                      "download",
                      List.of(1),
                      i -> {
                        started.countDown();
                        sleep(60_000);
                      }))
          .isInstanceOf(SpillException.class)
          .hasMessage("download was interrupted");
      assertThat(Thread.interrupted()).isTrue();
      interrupter.join();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
