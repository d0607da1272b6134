package io.spill.internal.domain;

import static java.util.Objects.requireNonNull;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.spi.CheckpointCommitUnknownException;
import io.spill.spi.CheckpointConflictException;
import io.spill.spi.CheckpointNotFoundException;
import io.spill.spi.LeaseExpiredException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsConditionalWrite;
import io.spill.spi.VersionedContent;
import io.spill.spi.helpers.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one store, as one run sees them: lists, reads, commits and deletes them, and
 * at teardown puts back what a PROD run overwrote and removes the data nobody names any more.
 *
 * <p>A checkpoint is {@code _spill/checkpoints/<name>/}: a manifest, written last and atomically,
 * names one data directory {@code data-<run-id>-<id>/}. Data is removed only when no manifest names
 * it, its writer's lease is gone, and no live run pins the checkpoint, so that another run's
 * Dataset or lazy frame over it stays readable. No Spark and no engine here: tested against an
 * in-memory store.
 */
public final class CheckpointCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCatalog.class);

  private final SpillStore store;
  private final Storage storage;
  private final SpillRun run;

  /** Per checkpoint this run committed: the manifest bytes before its first commit (or null). */
  private final Map<String, byte[]> originals = new LinkedHashMap<>();

  /** The store's compare-and-swap, or null if it has none. */
  private final SupportsConditionalWrite cas;

  /**
   * With {@link #cas}: per data directory of a save under way, the manifest it started from (empty
   * for none), whose version its commit must still find.
   */
  private final Map<String, Optional<VersionedContent>> bases =
      new java.util.concurrent.ConcurrentHashMap<>();

  public CheckpointCatalog(SpillStore store, Storage storage, SpillRun run) {
    this.store = requireNonNull(store, "store is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.run = requireNonNull(run, "run is null");
    this.cas = store instanceof SupportsConditionalWrite c ? c : null;
  }

  public SpillStore store() {
    return store;
  }

  /** The committed checkpoints, sorted: names with a manifest, never work folders or leftovers. */
  public List<String> list() {
    List<String> names = new ArrayList<>();
    for (StoreEntry e : store.list(SpillLayout.CHECKPOINTS)) {
      if (e.directory()
          && Identifiers.isCheckpointName(e.name())
          && store.exists(SpillLayout.manifest(e.name()))) {
        names.add(e.name());
      }
    }
    names.sort(null);
    return List.copyOf(names);
  }

  /**
   * The manifest of checkpoint {@code name}, pinned first so that its data stays while this run
   * lives.
   *
   * @throws CheckpointNotFoundException if there is none, listing the checkpoints there are
   */
  public CheckpointManifest open(String name) {
    run.pin(store, name);
    Optional<byte[]> bytes = readManifest(name);
    if (bytes.isEmpty()) {
      throw new CheckpointNotFoundException(
          "no checkpoint '"
              + name
              + "' in "
              + storage
              + " ("
              + store.describe()
              + "); saved checkpoints there: "
              + list());
    }
    return CheckpointManifest.fromJson(where(name), bytes.get());
  }

  /**
   * A new data directory for a version of {@code name} this run is about to write; the checkpoint
   * is pinned first.
   *
   * @return the directory, relative to the store root
   */
  public String newDataDir(String name) {
    run.pin(store, name);
    String data =
        SpillLayout.dataDirName(
            run.id(), UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    // An empty checkpoint folder may be removed by another run's teardown at any moment; a
    // marker keeps it (and _spill/checkpoints) in place until this save commits or gives up.
    store.write(SpillLayout.pendingMarker(name, data), new byte[0]);
    if (cas != null) {
      bases.put(data, cas.readVersioned(SpillLayout.manifest(name)));
    }
    return SpillLayout.join(SpillLayout.checkpointDir(name), data);
  }

  /** A save that failed: removes its data and its pending marker. */
  public void abandon(String name, String dataDir) {
    String data = dataDir.substring(dataDir.lastIndexOf('/') + 1);
    bases.remove(data);
    StoreTrees.removeOwnedTree(store, dataDir);
    store.deleteFile(SpillLayout.pendingMarker(name, data));
  }

  /**
   * Commits a version: its manifest replaces the current one in one atomic write. Whatever was
   * there before (a manifest of any version, or corrupt bytes) is remembered as this run's
   * original, which a PROD teardown puts back.
   *
   * <p>First the run's lease must be fresh and every file the manifest names must be there. On a
   * store with conditional writes the manifest is written only if it is still the version the save
   * started from: a checkpoint another writer committed meanwhile stays, and this save fails with
   * {@link CheckpointConflictException}. Elsewhere the last writer wins. A write that fails, or is
   * refused, is resolved by reading the manifest back: if the store holds what this save sent, the
   * save committed. Data is removed only when the save provably did not commit: refused before the
   * write, or by a conflict; otherwise it stays for teardown and purge, which remove it only if no
   * manifest names it.
   *
   * @throws CheckpointConflictException if another writer committed first (the data is removed)
   * @throws LeaseExpiredException if the run's lease is not fresh (the data is removed)
   * @throws CheckpointCommitUnknownException if the outcome cannot be found out (data kept)
   * @throws SpillException if the write failed and the store holds the previous version
   */
  public synchronized void commit(CheckpointManifest manifest) {
    String name = manifest.name();
    String path = SpillLayout.manifest(name);
    try {
      run.requireLease(store);
      requireData(manifest);
    } catch (RuntimeException notCommitted) {
      abandonQuietly(manifest, notCommitted);
      throw notCommitted;
    }
    byte[] original;
    byte[] sent;
    if (cas != null) {
      Optional<VersionedContent> base = bases.remove(manifest.dataDir());
      if (base == null) {
        throw new IllegalStateException(
            "no save of checkpoint '" + name + "' into " + manifest.dataDir() + " is under way");
      }
      original =
          originals.containsKey(name)
              ? originals.get(name)
              : base.map(VersionedContent::content).orElse(null);
      sent = manifest.committedBy(run.mode(), original).toJson();
      boolean written;
      try {
        written = cas.writeIfVersion(path, sent, base.map(VersionedContent::version).orElse(null));
      } catch (RuntimeException e) {
        written = resolveFailedWrite(name, sent, e);
      }
      // Refused: another writer's version is there, or an earlier attempt of this very write was
      // applied and its answer lost (an SDK retry then meets its own first attempt).
      if (!written && !holdsAfterRefusal(name, sent)) {
        CheckpointConflictException conflict =
            new CheckpointConflictException(
                "checkpoint '"
                    + name
                    + "' in "
                    + storage
                    + " ("
                    + store.describe()
                    + ") was committed by another writer while this save ran (or"
                    + " deleted); that stays as it is and this save's data was not committed. Save"
                    + " again to replace it, or give concurrent jobs different checkpoint names");
        abandonQuietly(manifest, conflict);
        throw conflict;
      }
    } else {
      original =
          originals.containsKey(name) ? originals.get(name) : readManifest(name).orElse(null);
      sent = manifest.committedBy(run.mode(), original).toJson();
      try {
        store.write(path, sent);
      } catch (RuntimeException e) {
        resolveFailedWrite(name, sent, e);
      }
    }
    if (!originals.containsKey(name)) {
      originals.put(name, original);
    }
    try {
      store.deleteFile(SpillLayout.pendingMarker(name, manifest.dataDir()));
    } catch (RuntimeException e) { // committed all the same; purge removes a stale marker
      LOG.warn(
          "spill: checkpoint '{}' committed, but its pending marker stays for now: {}",
          name,
          e.getMessage());
    }
  }

  /**
   * After a manifest write that failed: whether the store holds the manifest this save sent (the
   * write was applied and its answer lost), found by reading it back.
   *
   * @return true if the store holds it: the save committed
   * @throws SpillException if it does not: not committed, and the previous version stays
   * @throws CheckpointCommitUnknownException if it cannot be read back either
   */
  private boolean resolveFailedWrite(String name, byte[] sent, RuntimeException failure) {
    boolean committed;
    try {
      committed = holds(SpillLayout.manifest(name), sent);
    } catch (RuntimeException readBack) {
      throw unknown(name, failure, readBack);
    }
    if (!committed) {
      throw new SpillException(
          "writing the manifest of checkpoint '"
              + name
              + "' failed ("
              + failure.getMessage()
              + "); the store still holds the previous version, so this save was not committed",
          failure);
    }
    LOG.warn(
        "spill: writing the manifest of checkpoint '{}' reported a failure ({}), but the store"
            + " holds it: the save committed",
        name,
        failure.getMessage());
    return true;
  }

  /**
   * Removes the data of a save that provably did not commit (refused before its manifest was
   * written, or by a conflict); a failure to remove it is added to {@code failure}, and teardown or
   * purge removes the data later.
   */
  private void abandonQuietly(CheckpointManifest manifest, RuntimeException failure) {
    try {
      abandon(
          manifest.name(),
          SpillLayout.join(SpillLayout.checkpointDir(manifest.name()), manifest.dataDir()));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** After a refused conditional write: whether the store holds what this save sent. */
  private boolean holdsAfterRefusal(String name, byte[] sent) {
    try {
      return holds(SpillLayout.manifest(name), sent);
    } catch (RuntimeException readBack) {
      throw unknown(
          name, new SpillException("the conditional write of its manifest was refused"), readBack);
    }
  }

  private CheckpointCommitUnknownException unknown(
      String name, RuntimeException failure, RuntimeException readBack) {
    CheckpointCommitUnknownException e =
        new CheckpointCommitUnknownException(
            "whether checkpoint '"
                + name
                + "' in "
                + storage
                + " ("
                + store.describe()
                + ") was committed is unknown: writing its manifest failed ("
                + failure.getMessage()
                + ") and reading it back failed too ("
                + readBack.getMessage()
                + "). Nothing was deleted: list or load the checkpoint once the store answers;"
                + " if the save did not commit, its data goes at teardown or with"
                + " purgeStaleRuns",
            failure);
    e.addSuppressed(readBack);
    return e;
  }

  /** Whether the file at {@code path} holds exactly {@code content}. */
  private boolean holds(String path, byte[] content) {
    return store.exists(path) && Arrays.equals(store.read(path), content);
  }

  /**
   * Checks that every file a save is about to commit is in the store, whole: a run whose lease
   * lapsed may have lost its data to another run's purge, and a manifest must never name missing
   * files.
   */
  private void requireData(CheckpointManifest manifest) {
    String dir = SpillLayout.checkpointDir(manifest.name());
    Set<String> present = new java.util.HashSet<>();
    for (StoreEntry e : store.list(SpillLayout.join(dir, manifest.dataDir()))) {
      present.add(SpillLayout.join(manifest.dataDir(), e.name()));
    }
    for (String file : manifest.files()) {
      if (!present.contains(file) && !store.exists(SpillLayout.join(dir, file))) {
        throw new SpillException(
            "checkpoint '"
                + manifest.name()
                + "' was not committed: its file "
                + file
                + " is no longer in "
                + store.describe()
                + " (was this run's lease lost, and its data taken by another run's purge?)."
                + " Save it again");
      }
    }
  }

  /**
   * Deletes checkpoint {@code name}: its manifest, then the data directory it names unless a live
   * run still reads it (that data goes when the last such run ends, or by purge). Nothing else in
   * the folder is touched.
   *
   * @return whether a checkpoint existed
   */
  public boolean delete(String name) {
    run.pin(store, name);
    Optional<String> named;
    synchronized (this) {
      Optional<byte[]> bytes = readManifest(name);
      if (bytes.isEmpty()) {
        return false;
      }
      named = parse(name, bytes.get()).map(CheckpointManifest::dataDir);
      store.deleteFile(SpillLayout.manifest(name));
      if (originals.containsKey(name)) {
        originals.put(name, null); // deleted on purpose: a PROD teardown does not bring it back
      }
    }
    Set<String> pinned = run.pinnedByOthers(store);
    if (named.isPresent() && !pinned.contains(name)) {
      StoreTrees.removeOwnedTree(
          store, SpillLayout.join(SpillLayout.checkpointDir(name), named.get()));
      store.deleteEmptyDirectory(SpillLayout.checkpointDir(name));
    }
    return true;
  }

  /**
   * PROD teardown, first step, while this run still pins its checkpoints: for each checkpoint whose
   * current version this run committed, puts back the version that was there before the run, or
   * removes the manifest if there was none.
   */
  public void restoreOriginals(List<RuntimeException> failures) {
    Map<String, byte[]> toRestore;
    synchronized (this) {
      toRestore = new LinkedHashMap<>(originals);
    }
    toRestore.forEach(
        (name, original) -> SpillRun.attempt(failures, () -> restore(name, original)));
  }

  /**
   * Teardown, after {@link SpillRun#beginEnding}: removes the data of the checkpoints this run
   * touched that no manifest names and whose writer's lease is gone, unless another live run pins
   * the checkpoint.
   */
  public void removeUnnamedData(List<RuntimeException> failures) {
    Set<String> pinned = run.pinnedByOthers(store);
    for (String name : run.touched(store)) {
      if (!pinned.contains(name)) {
        SpillRun.attempt(
            failures,
            () -> {
              removeUnnamedData(name, writer -> !run.isLive(store, writer, true), true);
              store.deleteEmptyDirectory(SpillLayout.checkpointDir(name));
            });
      }
    }
  }

  /**
   * Puts back the version before this run, or removes the manifest where there was none, if the
   * current version is still this run's. Whatever needs I/O beyond that is found out first, so that
   * the read that checks the version and the write that replaces it follow each other directly: on
   * a store with compare-and-swap the write is conditional; elsewhere a commit that lands between
   * those two requests is the one that can be undone.
   */
  private void restore(String name, byte[] original) {
    String path = SpillLayout.manifest(name);
    byte[] target = versionToRestore(name, original, 0);
    Optional<CheckpointManifest> before = target == null ? Optional.empty() : parse(name, target);
    boolean beforeDataGone =
        before.isPresent()
            && !store.exists(
                SpillLayout.join(SpillLayout.checkpointDir(name), before.get().dataDir()));
    Optional<VersionedContent> versioned = cas != null ? cas.readVersioned(path) : Optional.empty();
    Optional<byte[]> current =
        cas != null ? versioned.map(VersionedContent::content) : readManifest(name);
    boolean ours =
        current.flatMap(b -> parse(name, b)).filter(m -> run.id().equals(m.runId())).isPresent();
    if (!ours) {
      return; // gone, unreadable, or another run committed after this one: leave it
    }
    if (target == null || beforeDataGone) {
      store.deleteFile(path);
      if (target == null) {
        LOG.info(
            "spill: removed checkpoint '{}' from {}, which this PROD run created", name, storage);
      } else {
        LOG.warn(
            "spill: could not restore checkpoint '{}' in {}: the data of the version before"
                + " this run is gone; removed this run's version",
            name,
            storage);
      }
      return;
    }
    if (cas != null) {
      if (!cas.writeIfVersion(path, target, versioned.get().version())) {
        LOG.info(
            "spill: left checkpoint '{}' in {} as it is: another run committed it during"
                + " this PROD run's teardown",
            name,
            storage);
        return;
      }
    } else {
      store.write(path, target);
    }
    LOG.info(
        "spill: restored checkpoint '{}' in {} to the version before this PROD run", name, storage);
  }

  /**
   * The version a PROD teardown puts back in place of {@code original}: itself, unless it is a PROD
   * run's version, which is temporary by definition; then what that run would put back, and so on;
   * null for "no checkpoint". Following the chain whether or not that run is still alive means no
   * teardown can write back a version whose own run has already passed its teardown.
   */
  private byte[] versionToRestore(String name, byte[] original, int depth) {
    if (original == null || depth > 1000) {
      return original;
    }
    Optional<CheckpointManifest> m = parse(name, original);
    if (m.isEmpty()
        || !Mode.PROD.name().equals(m.get().writerMode())
        || m.get().restores() == null) {
      return original;
    }
    return versionToRestore(name, m.get().restoredVersion().orElse(null), depth + 1);
  }

  /**
   * Removes the data directories of checkpoint {@code name} that its manifest does not name and
   * whose writer {@code writerGone} accepts. If the manifest is unreadable, which data it names is
   * unknown: at teardown only this run's own data goes (a checkpoint with an unreadable manifest
   * cannot be read whatever its data), otherwise nothing, and the error says so.
   *
   * @return the directories removed, relative to the store root
   * @throws SpillException outside teardown, if the manifest is unreadable
   */
  public List<String> removeUnnamedData(
      String name, Predicate<String> writerGone, boolean atTeardown) {
    String dir = SpillLayout.checkpointDir(name);
    Optional<byte[]> bytes = readManifest(name);
    Optional<CheckpointManifest> current = bytes.flatMap(b -> parse(name, b));
    Predicate<String> removable = writerGone;
    if (bytes.isPresent() && current.isEmpty()) {
      if (!atTeardown) {
        throw new SpillException(
            "left the data of checkpoint '"
                + name
                + "' in "
                + store.describe()
                + " alone: its manifest is unreadable; save the checkpoint again"
                + " to replace it, or delete it");
      }
      removable = writerGone.and(run.id()::equals);
    }
    String named = current.map(CheckpointManifest::dataDir).orElse(null);
    List<String> removed = new ArrayList<>();
    for (StoreEntry e : store.list(dir)) {
      boolean pending = !e.directory() && e.name().startsWith(SpillLayout.PENDING_PREFIX);
      if ((!e.directory() && !pending) || e.name().equals(named)) {
        continue;
      }
      String data = pending ? e.name().substring(SpillLayout.PENDING_PREFIX.length()) : e.name();
      Optional<String> writer = SpillLayout.writerOf(data);
      if (writer.isPresent() && removable.test(writer.get())) {
        String path = SpillLayout.join(dir, e.name());
        if (pending) {
          store.deleteFile(path);
        } else {
          StoreTrees.removeOwnedTree(store, path);
        }
        removed.add(path);
      }
    }
    return removed;
  }

  private Optional<byte[]> readManifest(String name) {
    String path = SpillLayout.manifest(name);
    if (!store.exists(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(store.read(path));
    } catch (SpillException e) {
      if (!store.exists(path)) {
        return Optional.empty(); // deleted between the check and the read
      }
      throw e;
    }
  }

  private Optional<CheckpointManifest> parse(String name, byte[] bytes) {
    try {
      return Optional.of(CheckpointManifest.fromJson(where(name), bytes));
    } catch (SpillException e) {
      LOG.warn("spill: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private String where(String name) {
    return store.describe() + "/" + SpillLayout.manifest(name);
  }
}
