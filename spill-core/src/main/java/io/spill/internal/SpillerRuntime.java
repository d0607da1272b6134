package io.spill.internal;

import static java.util.Objects.requireNonNull;

import io.spill.Mode;
import io.spill.PurgeReport;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.internal.domain.CallGate;
import io.spill.internal.domain.CheckpointCatalog;
import io.spill.internal.domain.Containers;
import io.spill.internal.domain.Purger;
import io.spill.internal.domain.SpillRun;
import io.spill.internal.spark.Transfers;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.helpers.Identifiers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started run, behind {@code VolumeSpiller}: its stores and catalogs, the calls (each through the
 * {@link CallGate}, so that teardown waits for them), purge, and teardown.
 */
public final class SpillerRuntime<F> {
  private static final Logger LOG = LoggerFactory.getLogger("io.spill.VolumeSpiller");

  /** How long the JVM shutdown hook waits for calls still in flight before it tears down. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final FrameEngine<F> engine;
  private final SpillRun run;
  private final SpillStore volume;

  private final ScratchSpace scratch;
  private final Path localDir;
  private final CheckpointCatalog volumeCatalog;
  private final CheckpointCatalog localCatalog;
  private final Transfers<F> transfers;
  private final CallGate gate;
  private final AtomicBoolean tearingDown = new AtomicBoolean();
  private final CountDownLatch tornDown = new CountDownLatch(1);
  private final Thread shutdownHook;

  SpillerRuntime(
      SpillerSettings<F> s,
      SpillRun run,
      SpillStore volume,
      SpillStore local,
      ScratchSpace scratch,
      Path localDir) {
    this.engine = s.engine();
    this.run = run;
    this.volume = volume;
    this.scratch = scratch;
    this.localDir = localDir;
    this.volumeCatalog = new CheckpointCatalog(volume, Storage.VOLUME, run);
    this.localCatalog =
        local == null
            ? null
            : volume == local ? volumeCatalog : new CheckpointCatalog(local, Storage.LOCAL, run);
    this.transfers = new Transfers<>(s.spark(), engine, s.timestampPolicy(), run, scratch);
    this.gate = new CallGate(run.id());
    if (s.shutdownHook()) {
      this.shutdownHook = new Thread(this::teardownAtExit, "spill-teardown-" + run.id());
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
    LOG.info(
        "spill run {} started in {} mode: volume {}, local {}, engine {}",
        run.id(),
        run.mode(),
        volume.describe(),
        local == null ? localDir + " (scratch only)" : local.describe(),
        engine.name());
  }

  public String runId() {
    return run.id();
  }

  public Mode mode() {
    return run.mode();
  }

  public FrameEngine<F> engine() {
    return engine;
  }

  /** The engine as its concrete type, or an error naming the engine's class. */
  public <E extends FrameEngine<F>> E engine(Class<E> type) {
    if (!type.isInstance(engine)) {
      throw new IllegalArgumentException(
          "this spiller's engine is a "
              + engine.getClass().getName()
              + ", not a "
              + type.getName());
    }
    return type.cast(engine);
  }

  /** The store behind a storage. */
  public SpillStore store(Storage storage) {
    return catalog(storage).store();
  }

  private CheckpointCatalog catalog(Storage storage) {
    if (requireNonNull(storage, "storage is null") == Storage.VOLUME) {
      return volumeCatalog;
    }
    if (localCatalog == null) {
      throw new SpillConfigurationException(
          "Storage.LOCAL is the driver-local store in "
              + localDir
              + ", which needs the module io.spill:spill-storage-local: add the"
              + " dependency (the spill-bom keeps versions aligned), or use Storage.VOLUME");
    }
    return localCatalog;
  }

  public F sparkToEngine(Dataset<Row> df, ToEngine how) {
    return call(() -> transfers.sparkToEngine(df, how, volume));
  }

  public Dataset<Row> engineToSpark(F frame, boolean cleanup) {
    return call(() -> transfers.engineToSpark(frame, cleanup, volume));
  }

  public void saveCheckpointSpark(Dataset<Row> df, String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    call(
        () -> {
          transfers.saveCheckpointSpark(df, name, storage, catalog);
          return null;
        });
  }

  public void saveCheckpointFrame(F frame, String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    call(
        () -> {
          transfers.saveCheckpointFrame(frame, name, storage, catalog);
          return null;
        });
  }

  public Dataset<Row> loadCheckpointSpark(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> transfers.loadCheckpointSpark(name, storage, catalog));
  }

  public F readCheckpointFrame(String name, Storage storage, boolean lazy) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> transfers.readCheckpointFrame(name, lazy, catalog));
  }

  public List<String> listCheckpoints(Storage storage) {
    CheckpointCatalog catalog = catalog(storage);
    return call(catalog::list);
  }

  public boolean deleteCheckpoint(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(
        () -> {
          boolean existed = catalog.delete(name);
          if (existed) {
            LOG.info("spill: deleted checkpoint '{}' from {}", name, storage);
          }
          return existed;
        });
  }

  public PurgeReport purgeStaleRuns(Duration olderThan) {
    Purger.checkCutoff(olderThan);
    return call(
        () -> {
          List<String> runs = new ArrayList<>();
          List<String> orphans = new ArrayList<>();
          List<String> problems = new ArrayList<>();
          Purger purger = new Purger(run);
          for (CheckpointCatalog catalog : catalogs()) {
            purger.purge(catalog.store(), catalog, olderThan, runs, orphans, problems);
          }
          runs.addAll(ScratchSpace.purge(localDir, run.id(), run.now().minus(olderThan), problems));
          Purger.log(runs, orphans, problems, olderThan);
          return new PurgeReport(runs, orphans, problems);
        });
  }

  /** Tears down after the calls in flight; idempotent, a second caller waits for the first. */
  public void teardown() {
    teardown(null);
  }

  private void teardown(Duration maxWait) {
    if (!tearingDown.compareAndSet(false, true)) {
      awaitTeardown();
      return;
    }
    try {
      if (!gate.close(maxWait == null ? Duration.ofDays(365) : maxWait)) {
        LOG.warn(
            "spill run {}: calls were still running after {}; tearing down anyway",
            run.id(),
            maxWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    run.stopCommits(); // a call still in flight (the JVM-exit teardown waits 30 s) commits nothing
    try {
      List<RuntimeException> failures = new ArrayList<>();
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting; the hook will find the teardown done
        }
      }
      SpillRun.attempt(failures, engine::close);
      if (run.mode() == Mode.PROD) { // first, while this run still pins what it puts back
        for (CheckpointCatalog catalog : catalogs()) {
          SpillRun.attempt(failures, () -> catalog.restoreOriginals(failures));
        }
      }
      run.beginEnding(failures);
      for (CheckpointCatalog catalog : catalogs()) {
        SpillRun.attempt(failures, () -> catalog.removeUnnamedData(failures));
      }
      run.end(failures);
      SpillRun.attempt(failures, scratch::close);
      if (run.mode() == Mode.PROD) {
        for (SpillStore store : stores()) {
          SpillRun.attempt(failures, () -> Containers.dropIfOnlySpillIsLeft(store));
        }
      }
      for (SpillStore store : stores()) {
        SpillRun.attempt(failures, store::close);
      }
      LOG.info("spill run {} torn down ({} mode)", run.id(), run.mode());
      if (!failures.isEmpty()) {
        SpillException e =
            new SpillException(
                "teardown of spill run "
                    + run.id()
                    + " left "
                    + failures.size()
                    + " problem(s); the first: "
                    + failures.get(0).getMessage()
                    + ". Run purgeStaleRuns from a later spiller to remove what is left");
        failures.forEach(e::addSuppressed);
        throw e;
      }
    } finally {
      tornDown.countDown();
    }
  }

  private void awaitTeardown() {
    try {
      tornDown.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void teardownAtExit() {
    try {
      teardown(EXIT_WAIT);
    } catch (RuntimeException e) {
      LOG.warn("spill teardown at JVM exit failed: {}", e.getMessage());
    }
  }

  private <T> T call(Supplier<T> body) {
    gate.enter();
    try {
      return body.get();
    } finally {
      gate.exit();
    }
  }

  private List<CheckpointCatalog> catalogs() {
    return localCatalog == null || localCatalog == volumeCatalog
        ? List.of(volumeCatalog)
        : List.of(volumeCatalog, localCatalog);
  }

  private List<SpillStore> stores() {
    return catalogs().stream().map(CheckpointCatalog::store).toList();
  }
}
