package io.spill.internal.domain;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.spill.Mode;
import io.spill.spi.LeaseExpiredException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spiller run: its id, its namespace {@code _spill/runs/<run-id>/} in each store, and its lease
 * there. The lease is a marker whose heartbeat a daemon thread renews every {@link #HEARTBEAT};
 * other runs treat a run whose heartbeat is older than {@link #LEASE} as ended. The marker also
 * lists the checkpoints the run pins, whose data other runs keep while the lease is live.
 *
 * <p>No Spark and no engine here: tested against an in-memory store.
 */
public final class SpillRun {
  private static final Logger LOG = LoggerFactory.getLogger(SpillRun.class);

  /** How often an open spiller renews its lease. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(1);

  /** How long a lease lasts without renewal. */
  public static final Duration LEASE = Duration.ofMinutes(5);

  /**
   * How long before its lease would lapse a run stops committing: another run's purge may remove
   * this run's data once the lease has lapsed, so a commit needs a lease renewed within {@code
   * LEASE - COMMIT_MARGIN}.
   */
  public static final Duration COMMIT_MARGIN = Duration.ofMinutes(1);

  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final String runId;
  private final Mode mode;
  private final Clock clock;
  private final Instant startedAt;
  private final List<SpillStore> stores;
  private final Map<SpillStore, Set<String>> pins = new LinkedHashMap<>();
  private final Map<SpillStore, Set<String>> touched = new LinkedHashMap<>();
  private final List<SpillStore> started = new ArrayList<>();
  private final String host = host();
  private boolean ending;
  private boolean commitsStopped;

  /** Per store: the heartbeat of the last marker written there successfully. */
  private final Map<SpillStore, Instant> renewed = new HashMap<>();

  private ScheduledExecutorService heartbeat;

  public SpillRun(Mode mode, List<SpillStore> stores, Clock clock) {
    this.mode = requireNonNull(mode, "mode is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.stores = List.copyOf(stores);
    this.startedAt = clock.instant();
    this.runId = RUN_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.stores.forEach(
        s -> {
          pins.put(s, new TreeSet<>());
          touched.put(s, new TreeSet<>());
        });
  }

  public String id() {
    return runId;
  }

  /** Takes the lease in every store and starts renewing it. */
  public void start() {
    for (SpillStore store : stores) {
      writeMarker(store);
      started.add(store);
    }
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spill-lease-" + runId);
              t.setDaemon(true);
              return t;
            });
    long every = HEARTBEAT.toMillis();
    // renew() reports its own failures; end() stops the executor, which cancels the renewals
    var unused = heartbeat.scheduleWithFixedDelay(this::renew, every, every, MILLISECONDS);
  }

  /** Rewrites the marker in every store with a fresh heartbeat. */
  public void renew() {
    for (SpillStore store : stores) {
      try {
        writeMarker(store);
      } catch (RuntimeException e) {
        LOG.warn(
            "spill run {}: could not renew its lease in {}: {}",
            runId,
            store.describe(),
            e.getMessage());
      }
    }
  }

  /**
   * Pins checkpoint {@code name} in {@code store} before the run reads or writes it: while this
   * run's lease is live, other runs keep that checkpoint's data. Written to the marker before it
   * returns.
   */
  public void pin(SpillStore store, String name) {
    boolean added;
    synchronized (this) {
      if (ending) {
        throw new IllegalStateException("spill run " + runId + " is tearing down");
      }
      touched.get(store).add(name);
      added = pins.get(store).add(name);
    }
    if (added) {
      writeMarker(store);
    }
  }

  /** The checkpoints this run pins in {@code store} now. */
  public synchronized Set<String> pinned(SpillStore store) {
    return Set.copyOf(pins.get(store));
  }

  /** Every checkpoint this run pinned in {@code store}, released or not. */
  public synchronized Set<String> touched(SpillStore store) {
    return Set.copyOf(touched.get(store));
  }

  private synchronized void writeMarker(SpillStore store) {
    Instant heartbeat = clock.instant();
    store.write(
        SpillLayout.runMarker(runId),
        new RunMarker(
                RunMarker.FORMAT_VERSION,
                runId,
                mode.name(),
                startedAt.toString(),
                heartbeat.toString(),
                List.copyOf(pins.get(store)),
                host,
                ProcessHandle.current().pid(),
                System.getProperty("user.name", "unknown"),
                ending)
            .toJson());
    renewed.put(store, heartbeat);
  }

  /**
   * Checks that this run may commit a checkpoint into {@code store} now: its teardown has not
   * begun, and its lease there was renewed less than {@code LEASE - COMMIT_MARGIN} ago, so no other
   * run's purge can have taken this run's files for a stale run's.
   *
   * @throws IllegalStateException if teardown has begun
   * @throws LeaseExpiredException if the lease was not renewed in time
   */
  public synchronized void requireLease(SpillStore store) {
    if (commitsStopped || ending) {
      throw new IllegalStateException(
          "spill run " + runId + " is tearing down: it commits no more checkpoints");
    }
    Instant last = renewed.get(store);
    Duration since = last == null ? null : Duration.between(last, clock.instant());
    if (since == null || since.compareTo(LEASE.minus(COMMIT_MARGIN)) > 0) {
      throw new LeaseExpiredException(
          "spill run "
              + runId
              + " could not renew its lease in "
              + store.describe()
              + (since == null ? "" : " for " + since.toSeconds() + " s")
              + " (the log says why); another run's purge may already have taken its files for"
              + " a stale run's, so this save was not committed. Check the store's availability"
              + " and save again");
    }
  }

  /** Refuses commits from now on: teardown has begun. */
  public synchronized void stopCommits() {
    commitsStopped = true;
  }

  /**
   * Says in every store that this run is tearing down (called once no call is in flight): its pins
   * are released and its data counts as its writer's no more, so that of several runs tearing down
   * at once, the last to look removes what none of them names.
   */
  public void beginEnding(List<RuntimeException> failures) {
    synchronized (this) {
      ending = true;
      pins.values().forEach(Set::clear);
    }
    for (SpillStore store : started) {
      attempt(failures, () -> writeMarker(store));
    }
  }

  /**
   * Ends the lease: stops the heartbeat, removes this run's namespace in every store where it
   * started (files first, the marker last, so that other runs see the lease until the files are
   * gone).
   */
  public void end(List<RuntimeException> failures) {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
      try { // a renewal under way would write the marker back after it is removed
        heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (SpillStore store : started) {
      attempt(failures, () -> removeNamespace(store, runId));
    }
  }

  /** Removes a run's namespace: everything but the marker, then the marker, then the folder. */
  public static void removeNamespace(SpillStore store, String runId) {
    String dir = SpillLayout.runDir(runId);
    for (StoreEntry e : store.list(dir)) {
      if (!e.name().equals(SpillLayout.RUN_MARKER)) {
        String child = SpillLayout.join(dir, e.name());
        if (e.directory()) {
          StoreTrees.removeOwnedTree(store, child);
        } else {
          store.deleteFile(child);
        }
      }
    }
    store.deleteFile(SpillLayout.runMarker(runId));
    store.deleteEmptyDirectory(dir);
  }

  /**
   * The marker of run {@code id} in {@code store}; empty if it has none (it ended, or never started
   * there).
   *
   * @throws SpillException if a marker is there but unreadable
   */
  public static Optional<RunMarker> marker(SpillStore store, String id) {
    String path = SpillLayout.runMarker(id);
    byte[] json;
    try {
      if (!store.exists(path)) {
        return Optional.empty();
      }
      json = store.read(path);
    } catch (SpillException e) {
      if (!store.exists(path)) {
        return Optional.empty(); // removed between the listing and the read: the run ended
      }
      throw e;
    }
    return Optional.of(RunMarker.fromJson(store.describe() + "/" + path, json));
  }

  /**
   * The checkpoints pinned in {@code store} by runs other than this one whose lease is live. An
   * unreadable marker is not a lease this spill can honour: it is logged and pins nothing (its
   * run's own data is still kept, see {@link #isLive}).
   */
  public Set<String> pinnedByOthers(SpillStore store) {
    Set<String> pinned = new TreeSet<>();
    for (StoreEntry e : store.list(SpillLayout.RUNS)) {
      if (!e.directory() || e.name().equals(runId)) {
        continue;
      }
      try {
        marker(store, e.name())
            .filter(m -> m.isLive(clock.instant(), LEASE))
            .ifPresent(m -> pinned.addAll(m.pins()));
      } catch (SpillException unreadable) {
        LOG.warn("spill: {}", unreadable.getMessage());
      }
    }
    return pinned;
  }

  /**
   * Whether run {@code writer} may still be using its files in {@code store}: its marker is there
   * with a live lease, or is unreadable (then nothing is deleted on a guess).
   *
   * @param selfEnded whether this run counts as ended (at its own teardown, when no call is in
   *     flight); otherwise this run is live
   */
  public boolean isLive(SpillStore store, String writer, boolean selfEnded) {
    if (writer.equals(runId)) {
      return !selfEnded;
    }
    try {
      return marker(store, writer).map(m -> m.isLive(clock.instant(), LEASE)).orElse(false);
    } catch (SpillException unreadable) {
      return true;
    }
  }

  public Instant now() {
    return clock.instant();
  }

  public Mode mode() {
    return mode;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  public static void attempt(List<RuntimeException> failures, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
