package io.spill.internal.domain;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsIncompleteUploads;
import io.spill.spi.helpers.Identifiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what ended runs left behind in a store: run namespaces whose lease expired, checkpoint
 * data that no manifest names and whose writer's lease is gone, and temporary files of killed
 * writes. One unreadable manifest or marker is reported and skipped; the rest goes on.
 */
public final class Purger {
  private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

  private final SpillRun run;

  public Purger(SpillRun run) {
    this.run = run;
  }

  /** Checks a cutoff: at least the lease, so that a live run is never taken for a stale one. */
  public static void checkCutoff(Duration olderThan) {
    if (olderThan == null) {
      throw new NullPointerException("olderThan is null");
    }
    if (olderThan.compareTo(SpillRun.LEASE) < 0) {
      throw new SpillConfigurationException(
          "purgeStaleRuns("
              + olderThan
              + ") is shorter than"
              + " the "
              + SpillRun.LEASE.toMinutes()
              + "-minute lease a live run renews every "
              + SpillRun.HEARTBEAT.toMinutes()
              + " minute: a live run's files could be taken for a"
              + " stale run's. Pass Duration.ofMinutes("
              + SpillRun.LEASE.toMinutes()
              + ") or more");
    }
  }

  /** Purges one store; adds what it removed and what it skipped to the lists. */
  public void purge(
      SpillStore store,
      CheckpointCatalog catalog,
      Duration olderThan,
      List<String> runs,
      List<String> orphans,
      List<String> problems) {
    Instant cutoff = run.now().minus(olderThan);
    for (StoreEntry e : store.list(SpillLayout.RUNS)) {
      if (!e.directory() || e.name().equals(run.id())) {
        continue;
      }
      try {
        Optional<RunMarker> marker = SpillRun.marker(store, e.name());
        if (marker.isEmpty()) {
          continue; // no lease: not provably a spill run (or one that just ended)
        }
        if (isStale(marker.get(), cutoff)) {
          SpillRun.removeNamespace(store, e.name());
          runs.add(store.describe() + " " + SpillLayout.runDir(e.name()));
        }
      } catch (SpillException ex) {
        problems.add(ex.getMessage());
      }
    }
    Set<String> pinned = new java.util.TreeSet<>(run.pinnedByOthers(store));
    pinned.addAll(run.pinned(store)); // this run's own Datasets, and what it may put back
    for (StoreEntry cp : store.list(SpillLayout.CHECKPOINTS)) {
      if (!cp.directory()
          || !Identifiers.isCheckpointName(cp.name())
          || pinned.contains(cp.name())) {
        continue;
      }
      try {
        for (String removed :
            catalog.removeUnnamedData(
                cp.name(), writer -> writerIsStale(store, writer, cutoff), false)) {
          orphans.add(store.describe() + " " + removed);
        }
        removeTempFiles(store, SpillLayout.checkpointDir(cp.name()), cutoff, orphans);
        store.deleteEmptyDirectory(SpillLayout.checkpointDir(cp.name()));
      } catch (SpillException ex) {
        problems.add(ex.getMessage());
      }
    }
    if (store instanceof SupportsIncompleteUploads uploads) {
      abortStaleUploads(store, uploads, cutoff, orphans, problems);
    }
  }

  /**
   * Aborts the incomplete uploads below {@code _spill/} whose writer's lease is gone: a run's own
   * file ({@code _spill/runs/<run-id>/...}) or a checkpoint's data ({@code
   * _spill/checkpoints/<name>/data-<run-id>-<id>/...}). An upload whose writer cannot be told from
   * its path is left alone.
   */
  private void abortStaleUploads(
      SpillStore store,
      SupportsIncompleteUploads uploads,
      Instant cutoff,
      List<String> orphans,
      List<String> problems) {
    try {
      for (String file : uploads.incompleteUploads(SpillLayout.ROOT)) {
        Optional<String> writer = SpillLayout.writerOfPath(file);
        if (writer.isPresent() && writerIsStale(store, writer.get(), cutoff)) {
          if (uploads.abortIncompleteUploads(file) > 0) {
            orphans.add(store.describe() + " " + file + " (incomplete upload)");
          }
        }
      }
    } catch (SpillException ex) {
      problems.add(ex.getMessage());
    }
  }

  private boolean isStale(RunMarker marker, Instant cutoff) {
    return !marker.isLive(run.now(), SpillRun.LEASE) && marker.heartbeat().isBefore(cutoff);
  }

  private boolean writerIsStale(SpillStore store, String writer, Instant cutoff) {
    if (writer.equals(run.id())) {
      return false;
    }
    try {
      return SpillRun.marker(store, writer).map(m -> isStale(m, cutoff)).orElse(true);
    } catch (SpillException unreadable) {
      return false;
    }
  }

  /**
   * Removes temporary files a killed manifest write left. They have no writer id, so their age
   * decides: a file system gives them a modification time, and one older than the cutoff (which is
   * at least the lease) belongs to no live write. Object stores write in one PUT and leave none.
   */
  private static void removeTempFiles(
      SpillStore store, String dir, Instant cutoff, List<String> removed) {
    for (StoreEntry e : store.list(dir)) {
      if (!e.directory()
          && SpillLayout.isTempFile(e.name())
          && !e.modified().equals(Instant.EPOCH)
          && e.modified().isBefore(cutoff)) {
        String path = SpillLayout.join(dir, e.name());
        if (store.deleteFile(path)) {
          removed.add(store.describe() + " " + path);
        }
      }
    }
  }

  public static void log(
      List<String> runs, List<String> orphans, List<String> problems, Duration olderThan) {
    LOG.info(
        "spill: purged {} stale runs and {} orphaned checkpoint items older than {}{}",
        runs.size(),
        orphans.size(),
        olderThan,
        problems.isEmpty() ? "" : "; skipped " + problems.size() + ": " + problems);
  }
}
