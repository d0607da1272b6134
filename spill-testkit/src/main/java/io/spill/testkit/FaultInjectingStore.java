package io.spill.testkit;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsConditionalWrite;
import io.spill.spi.SupportsContainerLifecycle;
import io.spill.spi.VersionedContent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store that fails as real stores do, between "applied" and "answered", for reliability tests of
 * spill and of adapters: it wraps another store (a local folder, say) and makes the next write of a
 * matching path land and lose its answer, fail without landing, or (a conditional write) land and
 * then be reported as refused, as an SDK's retry meets its own first attempt. Reads and deletes of
 * matching paths can fail as well. {@link #withCompareAndSwap} adds compare-and-swap by content, so
 * that spill's conditional commits can be tested over any store. Faults are planned per instance:
 * give every spiller of a test the same one.
 */
public class FaultInjectingStore implements SpillStore, SupportsContainerLifecycle {
  /** What happens to a write that meets a fault. */
  public enum Fault {
    /** The write lands; the caller gets an error, as when a connection resets after the PUT. */
    APPLIED_THEN_LOST,
    /** The write does not land; the caller gets an error. */
    FAILED,
    /** A conditional write lands, then the caller is told it was refused (a retry's 412). */
    APPLIED_THEN_REFUSED,
    /**
     * The write lands, the caller gets an error, and from then on reads of that file fail too (the
     * store went down), until {@link #failReads} says otherwise.
     */
    APPLIED_THEN_STORE_DOWN
  }

  private record Planned(Predicate<String> path, Fault fault) {}

  private record Before(Predicate<String> path, Runnable action) {}

  private final SpillStore delegate;
  private final Deque<Planned> planned = new ArrayDeque<>();
  private final Deque<Before> before = new ArrayDeque<>();
  private volatile Predicate<String> failingReads = p -> false;
  private volatile Predicate<String> failingDeletes = p -> false;
  private int injected;

  private FaultInjectingStore(SpillStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /**
   * A store over {@code delegate} that injects faults; it offers no compare-and-swap.
   *
   * @param delegate the store that holds the files
   * @return the store
   */
  public static FaultInjectingStore wrapping(SpillStore delegate) {
    return new FaultInjectingStore(delegate);
  }

  /**
   * A store over {@code delegate} that injects faults and offers compare-and-swap, the version of a
   * file being a hash of its content.
   *
   * @param delegate the store that holds the files
   * @return the store
   */
  public static FaultInjectingStore withCompareAndSwap(SpillStore delegate) {
    return new Cas(delegate);
  }

  /**
   * Makes the next write (plain or conditional) of a path {@code path} accepts meet {@code fault}.
   *
   * @param path which paths
   * @param fault what happens
   */
  public synchronized void failNextWrite(Predicate<String> path, Fault fault) {
    planned.add(new Planned(requireNonNull(path, "path is null"), fault));
  }

  /**
   * Runs {@code action} once, right before the next write of a path {@code path} accepts: what
   * another process does to the store at that moment (drops the container, say).
   *
   * @param path which paths
   * @param action what happens first
   */
  public synchronized void beforeNextWrite(Predicate<String> path, Runnable action) {
    before.add(new Before(requireNonNull(path, "path is null"), requireNonNull(action, "action")));
  }

  /**
   * Makes every read of a matching path fail until set again.
   *
   * @param path which paths; {@code p -> false} for none
   */
  public void failReads(Predicate<String> path) {
    failingReads = requireNonNull(path, "path is null");
  }

  /**
   * Makes every delete of a matching file fail until set again.
   *
   * @param path which paths; {@code p -> false} for none
   */
  public void failDeletes(Predicate<String> path) {
    failingDeletes = requireNonNull(path, "path is null");
  }

  /** {@return how many faults were injected so far, reads and deletes not counted} */
  public synchronized int injected() {
    return injected;
  }

  private synchronized Runnable takeBefore(String file) {
    for (Before b : before) {
      if (b.path().test(file)) {
        before.remove(b);
        return b.action();
      }
    }
    return null;
  }

  private synchronized Fault take(String file) {
    for (Planned p : planned) {
      if (p.path().test(file)) {
        planned.remove(p);
        injected++;
        return p.fault();
      }
    }
    return null;
  }

  @Override
  public String sparkUri(String path) {
    return delegate.sparkUri(path);
  }

  @Override
  public String engineUri(String path) {
    return delegate.engineUri(path);
  }

  @Override
  public Map<String, String> sparkOptions() {
    return delegate.sparkOptions();
  }

  @Override
  public List<StoreEntry> list(String directory) {
    return delegate.list(directory);
  }

  @Override
  public byte[] read(String file) {
    if (failingReads.test(file)) {
      throw new SpillException("injected: reading " + file + " failed");
    }
    return delegate.read(file);
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    if (failingReads.test(file)) {
      throw new SpillException("injected: reading " + file + " failed");
    }
    return delegate.read(file, offset, length);
  }

  @Override
  public void write(String file, byte[] content) {
    Runnable first = takeBefore(file);
    if (first != null) {
      first.run();
    }
    Fault fault = take(file);
    if (fault == Fault.FAILED) {
      throw new SpillException("injected: writing " + file + " failed");
    }
    delegate.write(file, content);
    lose(file, fault);
  }

  /** After a write that landed: the answer is lost, as {@code fault} says. */
  private void lose(String file, Fault fault) {
    if (fault == Fault.APPLIED_THEN_STORE_DOWN) {
      failingReads = file::equals;
    }
    if (fault == Fault.APPLIED_THEN_LOST || fault == Fault.APPLIED_THEN_STORE_DOWN) {
      throw new SpillException("injected: the answer to writing " + file + " was lost");
    }
  }

  @Override
  public boolean deleteFile(String file) {
    if (failingDeletes.test(file)) {
      throw new SpillException("injected: deleting " + file + " failed");
    }
    return delegate.deleteFile(file);
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    return delegate.deleteEmptyDirectory(directory);
  }

  @Override
  public boolean createContainerIfMissing() {
    return delegate instanceof SupportsContainerLifecycle c && c.createContainerIfMissing();
  }

  @Override
  public boolean dropContainerIfEmpty() {
    return !(delegate instanceof SupportsContainerLifecycle c) || c.dropContainerIfEmpty();
  }

  @Override
  public boolean dropContainerHolding(List<String> files) {
    return delegate instanceof SupportsContainerLifecycle c
        ? c.dropContainerHolding(files)
        : SupportsContainerLifecycle.super.dropContainerHolding(files);
  }

  @Override
  public String describe() {
    return delegate.describe() + " (with injected faults)";
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The same with compare-and-swap by content hash; writes are serialized in this JVM. */
  private static final class Cas extends FaultInjectingStore implements SupportsConditionalWrite {
    Cas(SpillStore delegate) {
      super(delegate);
    }

    @Override
    public Optional<VersionedContent> readVersioned(String file) {
      synchronized (Cas.class) {
        if (!exists(file)) {
          return Optional.empty();
        }
        byte[] content = read(file);
        return Optional.of(new VersionedContent(content, hash(content)));
      }
    }

    @Override
    public boolean writeIfVersion(String file, byte[] content, String expectedVersion) {
      Fault fault = super.take(file);
      if (fault == Fault.FAILED) {
        throw new SpillException("injected: writing " + file + " failed");
      }
      synchronized (Cas.class) {
        String now = exists(file) ? hash(super.delegate.read(file)) : null;
        if (!Objects.equals(now, expectedVersion)) {
          return false;
        }
        super.delegate.write(file, content);
      }
      super.lose(file, fault);
      return fault != Fault.APPLIED_THEN_REFUSED;
    }

    private static String hash(byte[] content) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public String toString() {
    return "FaultInjectingStore[" + delegate + "]";
  }
}
