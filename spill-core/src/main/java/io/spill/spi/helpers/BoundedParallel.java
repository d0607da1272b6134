package io.spill.spi.helpers;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fixed number of daemon threads that run one action per item and wait for all of them, for a
 * store's parallel downloads and uploads: at most {@code threads} requests at a time, however many
 * files, and an error only once every started action has ended, so that a caller cleaning up never
 * races one still writing. Thread-safe; {@link #close()} stops the threads.
 */
public final class BoundedParallel implements AutoCloseable {
  private final ExecutorService pool;
  private final String name;

  /**
   * @param name the threads' name prefix, also used in messages, such as {@code spill-s3}
   * @param threads how many actions run at once, at least 1
   */
  public BoundedParallel(String name, int threads) {
    this.name = requireNonNull(name, "name is null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code action} for every item, at most the pool's number at a time, and waits for all.
   *
   * @param <T> the items' type
   * @param what what the actions do, for messages, such as "download from s3://b/p"
   * @param items the items
   * @param action what to do with each
   * @throws RuntimeException the first action's failure (an unchecked exception as it was thrown,
   * @throws SpillException if the calling thread is interrupted; the running actions are then
   *     anything else wrapped in a {@link SpillException}), with the other failures suppressed in
   *     it cancelled
   */
  public <T> void forEach(String what, Collection<T> items, Consumer<? super T> action) {
    requireNonNull(action, "action is null");
    List<Future<?>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(pool.submit(() -> action.accept(item)));
    }
    RuntimeException first = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        RuntimeException failure =
            e.getCause() instanceof RuntimeException r
                ? r
                : new SpillException(what + " failed: " + e.getCause(), e.getCause());
        if (first == null) {
          first = failure;
        } else if (failure != first) {
          first.addSuppressed(failure);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(r -> r.cancel(true));
        throw new SpillException(what + " was interrupted", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Stops the threads; actions still running are interrupted. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  @Override
  public String toString() {
    return "BoundedParallel[" + name + "]";
  }
}
