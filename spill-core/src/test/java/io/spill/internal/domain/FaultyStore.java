package io.spill.internal.domain;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsConditionalWrite;
import io.spill.spi.VersionedContent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An in-memory store that fails as real stores do, between "applied" and "answered": the next write
 * of a matching path can be applied and its answer lost, fail without being applied, or (a
 * conditional write) be applied and then reported as refused, which is what an SDK's retry meets
 * after its first attempt landed. Reads and deletes of matching paths can fail too. With {@code
 * cas}, it offers compare-and-swap.
 */
class FaultyStore implements SpillStore {
  enum Fault {
    /** The write lands; the caller gets an error, as when a connection resets after the PUT. */
    APPLIED_THEN_LOST,
    /** The write does not land; the caller gets an error. */
    FAILED,
    /** A conditional write lands, then the caller is told it was refused (a retry's 412). */
    APPLIED_THEN_REFUSED
  }

  private record Planned(Predicate<String> path, Fault fault) {}

  final InMemoryStore files = new InMemoryStore();
  private final Map<String, Integer> versions = new HashMap<>();
  private final Deque<Planned> writeFaults = new ArrayDeque<>();
  private volatile Predicate<String> failingReads = p -> false;
  private volatile Predicate<String> failingDeletes = p -> false;
  private volatile Predicate<String> failingWrites = p -> false;
  int injected;

  /** Runs once, at the next existence check of a path it accepts, to let another run act then. */
  private volatile Predicate<String> hookOn = p -> false;

  private volatile Runnable hook;

  /** Runs {@code action} once, at the start of the next existence check of a matching path. */
  void beforeNextExists(Predicate<String> path, Runnable action) {
    hookOn = path;
    hook = action;
  }

  @Override
  public boolean exists(String path) {
    Runnable action = hook;
    if (action != null && hookOn.test(path)) {
      hook = null;
      action.run();
    }
    return SpillStore.super.exists(path);
  }

  /** A store with compare-and-swap. */
  static Cas withCas() {
    return new Cas();
  }

  /** The next write of a path {@code path} accepts meets {@code fault}. */
  synchronized void failNextWrite(Predicate<String> path, Fault fault) {
    writeFaults.add(new Planned(path, fault));
  }

  /** Every write of a matching path fails, not applied, until set again. */
  void failWrites(Predicate<String> path) {
    failingWrites = path;
  }

  void failReads(Predicate<String> path) {
    failingReads = path;
  }

  void failDeletes(Predicate<String> path) {
    failingDeletes = path;
  }

  /** The fault planned for a write of {@code file}, taken off the plan; null for none. */
  synchronized Fault take(String file) {
    if (failingWrites.test(file)) {
      injected++;
      return Fault.FAILED;
    }
    for (Planned p : writeFaults) {
      if (p.path().test(file)) {
        writeFaults.remove(p);
        injected++;
        return p.fault();
      }
    }
    return null;
  }

  @Override
  public String sparkUri(String path) {
    return files.sparkUri(path);
  }

  @Override
  public List<StoreEntry> list(String directory) {
    return files.list(directory);
  }

  @Override
  public byte[] read(String file) {
    if (failingReads.test(file)) {
      throw new SpillException("injected: reading " + file + " failed");
    }
    return files.read(file);
  }

  @Override
  public void write(String file, byte[] content) {
    Fault fault = take(file);
    if (fault == Fault.FAILED) {
      throw new SpillException("injected: writing " + file + " failed");
    }
    apply(file, content);
    if (fault != null) {
      throw new SpillException("injected: the answer to writing " + file + " was lost");
    }
  }

  synchronized void apply(String file, byte[] content) {
    files.write(file, content);
    versions.merge(file, 1, Integer::sum);
  }

  @Override
  public synchronized boolean deleteFile(String file) {
    if (failingDeletes.test(file)) {
      throw new SpillException("injected: deleting " + file + " failed");
    }
    versions.remove(file);
    return files.deleteFile(file);
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    return files.deleteEmptyDirectory(directory);
  }

  /** The same with compare-and-swap, by a version counter per file. */
  static final class Cas extends FaultyStore implements SupportsConditionalWrite {
    /** Runs once before the next conditional write, to let "another run" act in between. */
    Runnable beforeNextConditionalWrite;

    @Override
    public synchronized Optional<VersionedContent> readVersioned(String file) {
      return files.exists(file)
          ? Optional.of(new VersionedContent(read(file), String.valueOf(version(file))))
          : Optional.empty();
    }

    @Override
    public boolean writeIfVersion(String file, byte[] content, String expectedVersion) {
      Runnable hook = beforeNextConditionalWrite;
      beforeNextConditionalWrite = null;
      if (hook != null) {
        hook.run();
      }
      Fault fault = take(file);
      if (fault == Fault.FAILED) {
        throw new SpillException("injected: writing " + file + " failed");
      }
      synchronized (this) {
        String now = files.exists(file) ? String.valueOf(version(file)) : null;
        if (!Objects.equals(now, expectedVersion)) {
          return false;
        }
        apply(file, content);
      }
      if (fault == Fault.APPLIED_THEN_LOST) {
        throw new SpillException("injected: the answer to writing " + file + " was lost");
      }
      return fault != Fault.APPLIED_THEN_REFUSED;
    }
  }

  synchronized int version(String file) {
    return versions.getOrDefault(file, 0);
  }
}
