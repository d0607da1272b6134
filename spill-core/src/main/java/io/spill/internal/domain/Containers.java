package io.spill.internal.domain;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers (a volume, a root folder) spill may create and drop. Ownership belongs to spill,
 * not to a run: the run that creates a container writes {@code _spill/owner.json}, and any PROD run
 * that finds nothing but that marker left at teardown drops the container, so a container shared by
 * many PROD runs goes with the last of them.
 */
public final class Containers {
  private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

  private Containers() {}

  /**
   * Creates the container if it is missing.
   *
   * @return true if this call created it (and wrote the ownership marker)
   */
  public static boolean open(SpillStore store, String runId) {
    if (store instanceof SupportsContainerLifecycle lifecycle
        && lifecycle.createContainerIfMissing()) {
      store.write(
          SpillLayout.OWNER_MARKER,
          SpillJson.write(
              new TreeMap<>(
                  Map.of(
                      "createdBy", "spill", "runId", runId, "createdAt", Instant.now().toString())),
              "the ownership marker"));
      return true;
    }
    return false;
  }

  /**
   * Drops the container if spill created it and nothing but spill's empty namespace is left. Never
   * deletes a thing that is not spill's: if anything else is there, or arrives meanwhile, the
   * container and its ownership marker stay.
   *
   * <p>The run that takes the owner marker (deletes it) drops; of two runs tearing down at once,
   * the other finds it gone and leaves. The drop then announces itself: {@code
   * _spill/dropping.json} is written, the container is listed again, and only if it still holds
   * nothing but that marker is it dropped, with the marker in place. A run that starts meanwhile
   * writes its lease before it looks for the marker ({@link #awaitNoDrop}), so one of the two
   * always sees the other: the drop finds the lease and keeps the container, or the run finds the
   * marker and waits for the drop. A drop that has not happened within half a lease of its marker
   * is called off, and a marker older than a lease is taken for one a crashed run left.
   *
   * <p>A run tearing down while another holds the owner marker finds no marker and leaves; so a
   * drop called off because something arrived puts the marker back (after removing its
   * announcement) and looks again: what arrived may have been that run's, gone by now.
   */
  public static void dropIfOnlySpillIsLeft(SpillStore store) {
    dropIfOnlySpillIsLeft(store, Clock.systemUTC());
  }

  static void dropIfOnlySpillIsLeft(SpillStore store, Clock clock) {
    if (!(store instanceof SupportsContainerLifecycle lifecycle)) {
      return;
    }
    for (int attempt = 1; attempt <= DROP_ATTEMPTS; attempt++) {
      if (tryDrop(store, lifecycle, clock) != Outcome.CALLED_OFF) {
        return;
      }
    }
    LOG.info(
        "spill: keeping {}: things kept arriving in it during {} tries to drop it",
        store.describe(),
        DROP_ATTEMPTS);
  }

  /**
   * How often a teardown tries again after its drop was called off because something arrived. A run
   * that tears down while this one holds the owner marker finds no marker and leaves it to this
   * one; once the drop is called off, the thing that arrived may be that run's, gone by now.
   */
  private static final int DROP_ATTEMPTS = 5;

  private enum Outcome {
    /** Dropped, or kept for a reason that trying again does not change. */
    SETTLED,
    /** Something arrived while this run held the owner marker: worth a new look. */
    CALLED_OFF
  }

  private static Outcome tryDrop(
      SpillStore store, SupportsContainerLifecycle lifecycle, Clock clock) {
    if (!store.exists(SpillLayout.OWNER_MARKER)) {
      LOG.info(
          "spill: keeping {}: spill did not create it, or another run tearing down is dropping it"
              + " (no {})",
          store.describe(),
          SpillLayout.OWNER_MARKER);
      return Outcome.SETTLED;
    }
    store.deleteEmptyDirectory(SpillLayout.CHECKPOINTS);
    store.deleteEmptyDirectory(SpillLayout.RUNS);
    if (!onlyMarkers(store, List.of(OWNER))) {
      return Outcome.SETTLED;
    }
    byte[] owner;
    try {
      owner = store.read(SpillLayout.OWNER_MARKER);
    } catch (SpillException e) {
      if (!store.exists(SpillLayout.OWNER_MARKER)) {
        return Outcome.SETTLED; // another run tearing down at the same moment is dropping it
      }
      throw e;
    }
    if (!store.deleteFile(SpillLayout.OWNER_MARKER)) {
      return Outcome.SETTLED; // another run tearing down at the same moment took it first: it drops
    }
    Instant announced = clock.instant();
    boolean dropped = false;
    try {
      store.write(
          SpillLayout.DROPPING_MARKER,
          SpillJson.write(
              new TreeMap<>(Map.of("droppingSince", announced.toString())), "the dropping marker"));
      if (!onlyMarkers(store, List.of(DROPPING))) {
        return Outcome.CALLED_OFF;
      }
      if (Duration.between(announced, clock.instant()).compareTo(SpillRun.LEASE.dividedBy(2)) > 0) {
        LOG.info("spill: keeping {}: its drop took too long to be safe", store.describe());
        return Outcome.SETTLED;
      }
      dropped = lifecycle.dropContainerHolding(List.of(SpillLayout.DROPPING_MARKER));
      if (!dropped) {
        LOG.info("spill: keeping {}: something arrived in it during teardown", store.describe());
        return Outcome.CALLED_OFF;
      }
    } finally {
      // Keep it all as it was: no announcement, and the owner marker. The marker goes back last:
      // a run that takes it after that announces its own drop, which this one must not remove.
      if (!dropped) {
        store.deleteFile(SpillLayout.DROPPING_MARKER);
        store.write(SpillLayout.OWNER_MARKER, owner);
      }
    }
    LOG.info(
        "spill: dropped {}, which spill created and which holds nothing else", store.describe());
    return Outcome.SETTLED;
  }

  private static final String OWNER =
      SpillLayout.OWNER_MARKER.substring(SpillLayout.ROOT.length() + 1);
  private static final String DROPPING =
      SpillLayout.DROPPING_MARKER.substring(SpillLayout.ROOT.length() + 1);

  /** Whether the root holds only {@code _spill/}, and that only {@code markers}, sorted. */
  private static boolean onlyMarkers(SpillStore store, List<String> markers) {
    List<String> root = store.list("").stream().map(StoreEntry::name).toList();
    List<String> namespace = store.list(SpillLayout.ROOT).stream().map(StoreEntry::name).toList();
    if (root.equals(List.of(SpillLayout.ROOT)) && namespace.equals(markers)) {
      return true;
    }
    LOG.info(
        "spill: keeping {} although spill created it: it still holds {} (and {} in {})",
        store.describe(),
        root,
        namespace,
        SpillLayout.ROOT);
    return false;
  }

  /**
   * Called by a starting run once its lease is written: returns at once if no run is dropping the
   * container; otherwise waits until the drop is over (the container gone, or the drop called off)
   * and returns true, and the caller starts again. A marker older than the lease is one a crashed
   * run left: it is removed.
   *
   * @param store the store
   * @param clock the clock of the run
   * @param patience how long to wait for a drop under way
   * @return true if a drop was under way, and the caller must start again
   * @throws SpillException if a drop under way did not end within {@code patience}
   */
  public static boolean awaitNoDrop(SpillStore store, Clock clock, Duration patience) {
    if (!(store instanceof SupportsContainerLifecycle)) {
      return false;
    }
    Optional<Instant> since = droppingSince(store);
    if (since.isEmpty()) {
      return false;
    }
    if (since.get().plus(SpillRun.LEASE).isBefore(clock.instant())) {
      LOG.warn(
          "spill: removing {} from {}: written at {}, by a run that never dropped it",
          SpillLayout.DROPPING_MARKER,
          store.describe(),
          since.get());
      store.deleteFile(SpillLayout.DROPPING_MARKER);
      return false;
    }
    LOG.info("spill: {} is being dropped by a run tearing down; waiting", store.describe());
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SpillException("interrupted while waiting for the drop of " + store.describe());
      }
      if (!droppingSinceOrGone(store)) {
        return true;
      }
    }
    throw new SpillException(
        store.describe()
            + " is being dropped by a spill run tearing down ("
            + SpillLayout.DROPPING_MARKER
            + " since "
            + since.get()
            + ") and the drop did not end within "
            + patience
            + ": try again; if no spill run is tearing down, delete "
            + SpillLayout.DROPPING_MARKER);
  }

  /** Whether the marker is still there (false once it or the whole container is gone). */
  private static boolean droppingSinceOrGone(SpillStore store) {
    try {
      return store.exists(SpillLayout.DROPPING_MARKER);
    } catch (SpillException gone) {
      return false; // the container went with it
    }
  }

  private static Optional<Instant> droppingSince(SpillStore store) {
    byte[] bytes;
    try {
      if (!store.exists(SpillLayout.DROPPING_MARKER)) {
        return Optional.empty();
      }
      bytes = store.read(SpillLayout.DROPPING_MARKER);
    } catch (SpillException gone) {
      return Optional.empty(); // dropped between the two calls, or the marker removed
    }
    try {
      Object since = SpillJson.read(bytes, Map.class).get("droppingSince");
      return Optional.of(Instant.parse(String.valueOf(since)));
    } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
      return Optional.of(Instant.EPOCH); // unreadable: as old as can be
    }
  }
}
