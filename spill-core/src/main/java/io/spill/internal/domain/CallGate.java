package io.spill.internal.domain;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets calls into a spiller in until it closes, and lets teardown wait for the calls in flight: a
 * save that started before {@code close()} commits before teardown decides what to remove, and a
 * call after it fails at once with a clear error.
 */
public final class CallGate {
  private final String runId;
  private final Map<Thread, Integer> inFlight = new HashMap<>();
  private boolean closing;

  public CallGate(String runId) {
    this.runId = runId;
  }

  /** Lets a call in. Pair with {@link #exit()} in a finally block. */
  public synchronized void enter() {
    if (closing) {
      throw new IllegalStateException(
          "spill run "
              + runId
              + " is torn down (or tearing down); build a new VolumeSpiller to go on");
    }
    inFlight.merge(Thread.currentThread(), 1, Integer::sum);
  }

  public synchronized void exit() {
    inFlight.computeIfPresent(Thread.currentThread(), (t, n) -> n == 1 ? null : n - 1);
    if (inFlight.isEmpty()) {
      notifyAll();
    }
  }

  /**
   * Refuses new calls and waits for those in flight.
   *
   * @param maxWait how long to wait at most (the JVM shutdown hook cannot wait forever)
   * @return whether every call finished in time
   * @throws IllegalStateException if the calling thread is itself inside a call
   */
  public synchronized boolean close(Duration maxWait) throws InterruptedException {
    if (inFlight.containsKey(Thread.currentThread())) {
      throw new IllegalStateException(
          "teardown of spill run "
              + runId
              + " was called from"
              + " inside one of its own calls; close the spiller after the call returns");
    }
    closing = true;
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!inFlight.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
