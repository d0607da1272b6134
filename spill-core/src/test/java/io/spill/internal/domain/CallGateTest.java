package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CallGateTest {
  private final CallGate gate = new CallGate("run-1");

  @Test
  void closeWaitsForTheCallInFlightThenRefusesNewOnes() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture<Void> call =
        CompletableFuture.runAsync(
            () -> {
              gate.enter();
              try {
                inside.countDown();
                release.await();
                finished.set(true);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                gate.exit();
              }
            });
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> closing =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return gate.close(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(closing).isNotDone();
    assertThatThrownBy(gate::enter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run-1")
        .hasMessageContaining("build a new VolumeSpiller");
    release.countDown();
    assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(finished).isTrue();
    call.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBoundedWaitGivesUpOnACallThatDoesNotEnd() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    Thread stuck =
        new Thread(
            () -> {
              gate.enter();
              inside.countDown();
            });
    stuck.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gate.close(Duration.ofMillis(100))).isFalse();
  }

  @Test
  void closingFromInsideACallIsAnErrorNotADeadlock() {
    gate.enter();
    assertThatThrownBy(() -> gate.close(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside one of its own");
    gate.exit();
  }
}
