package io.spill;

import static java.util.Objects.requireNonNull;

import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.SupportsScratchDirectory;
import io.spill.spi.TimestampPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data between Spark and a single-node engine on the driver by spilling Parquet to shared
 * storage instead of collecting rows through the driver, and keeps checkpoints.
 *
 * <p>spill reads and writes only below {@code <root>/_spill/} of a store. Each spiller is one
 * run with its own namespace {@code _spill/runs/<run-id>/} and a lease it renews every minute;
 * checkpoints live in {@code _spill/checkpoints/<name>/}, shared by all runs, and any checkpoint
 * loads as a Spark Dataset or as an engine frame, whichever side wrote it. spill deletes only what
 * it can prove it wrote, and never changes the Spark session's settings.
 *
 * <p><b>Lifetime.</b> Datasets returned by {@link #engineToSpark} and {@link #loadCheckpointSpark},
 * and lazy frames, read spill files when they are used: they stay valid until {@link #teardown()}
 * (or {@link #close()}), not after; a checkpoint's data stays while any live run has loaded it.
 * The spiller owns its engine and stores and closes them at teardown, which also runs from a JVM
 * shutdown hook if the program ends without it.
 *
 * <p><b>Threads.</b> A spiller may be used from several threads at once. Teardown waits for the
 * calls in flight, then refuses new ones with {@link IllegalStateException}.
 *
 * @param <F> the engine's frame type, such as {@code DuckDbFrame}
 */
public final class VolumeSpiller<F> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeSpiller.class);
  /** How long the JVM shutdown hook waits for calls still in flight before it tears down. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final FrameEngine<F> engine;
  private final SpillRun run;
  private final SpillStore volume;
  private final SpillStore local;
  private final CheckpointCatalog volumeCatalog;
  private final CheckpointCatalog localCatalog;
  private final Transfers<F> transfers;
  private final CallGate gate;
  private final AtomicBoolean tearingDown = new AtomicBoolean();
  private final CountDownLatch tornDown = new CountDownLatch(1);
  private final Thread shutdownHook;

  private VolumeSpiller(Builder<F> b, SpillRun run, SpillStore volume, SpillStore local) {
    this.engine = b.engine;
    this.run = run;
    this.volume = volume;
    this.local = local;
    this.volumeCatalog = new CheckpointCatalog(volume, Storage.VOLUME, run);
    this.localCatalog = volume == local ? volumeCatalog
        : new CheckpointCatalog(local, Storage.LOCAL, run);
    this.transfers = new Transfers<>(new SparkParquet(b.spark), engine, b.timestampPolicy, run,
        local);
    this.gate = new CallGate(run.id());
    if (b.shutdownHook) {
      this.shutdownHook = new Thread(this::teardownAtExit, "spill-teardown-" + run.id());
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
    LOG.info("spill run {} started in {} mode: volume {}, local {}, engine {}",
        run.id(), run.mode(), volume.describe(), local.describe(), engine.name());
  }

  /** Starts a builder for a spiller on {@code spark}; choose an engine with {@code engine(...)}. */
  public static Builder<Object> builder(SparkSession spark) {
    return new Builder<>(requireNonNull(spark, "spark is null"));
  }

  /** This run's id, also the name of its namespace {@code _spill/runs/<run-id>}. */
  public String runId() {
    return run.id();
  }

  /** The mode teardown follows. */
  public Mode mode() {
    return run.mode();
  }

  /** The engine this spiller owns. */
  public FrameEngine<F> engine() {
    return engine;
  }

  /**
   * The engine this spiller owns, as its concrete type, for what only that engine offers:
   * {@code spill.engine(DuckDbFrameEngine.class).sql(query, frames)}.
   *
   * @throws IllegalArgumentException if the engine is not a {@code type}
   */
  public <E extends FrameEngine<F>> E engine(Class<E> type) {
    requireNonNull(type, "type is null");
    if (!type.isInstance(engine)) {
      throw new IllegalArgumentException("this spiller's engine is a "
          + engine.getClass().getName() + ", not a " + type.getName());
    }
    return type.cast(engine);
  }

  /** The store behind a storage. Without a configured store, both are the driver-local one. */
  public SpillStore store(Storage storage) {
    return requireNonNull(storage, "storage is null") == Storage.LOCAL ? local : volume;
  }

  private CheckpointCatalog catalog(Storage storage) {
    return requireNonNull(storage, "storage is null") == Storage.LOCAL ? localCatalog
        : volumeCatalog;
  }

  // ---------------------------------------------------------------------------------------------
  // Spark <-> engine

  /** Spills {@code df} to the volume store and loads it into the engine (eagerly). */
  public F sparkToEngine(Dataset<Row> df) {
    return sparkToEngine(df, ToEngine.eager());
  }

  /**
   * Spills {@code df} as Parquet to the volume store and hands the committed files to the
   * engine. Eager: the rows are loaded now and the spilled files removed. Lazy: the frame scans
   * the files, which stay until teardown.
   */
  public F sparkToEngine(Dataset<Row> df, ToEngine how) {
    requireNonNull(df, "df is null");
    requireNonNull(how, "how is null");
    return call(() -> transfers.sparkToEngine(df, how, volume));
  }

  /** Writes {@code frame} to the volume store and returns a Dataset over it; keeps the frame. */
  public Dataset<Row> engineToSpark(F frame) {
    return engineToSpark(frame, false);
  }

  /**
   * Writes {@code frame} as Parquet to the volume store (timestamps normalized to microseconds
   * under the spiller's {@link TimestampPolicy}) and returns a Dataset reading exactly those
   * files. The Dataset stays valid until teardown.
   *
   * @param cleanup whether to release the frame in the engine afterwards
   */
  public Dataset<Row> engineToSpark(F frame, boolean cleanup) {
    requireNonNull(frame, "frame is null");
    return call(() -> transfers.engineToSpark(frame, cleanup, volume));
  }

  // ---------------------------------------------------------------------------------------------
  // Checkpoints

  /** Saves a Spark Dataset as checkpoint {@code name} in the volume store. */
  public void saveCheckpointSpark(Dataset<Row> df, String name) {
    saveCheckpointSpark(df, name, Storage.VOLUME);
  }

  /**
   * Saves a Spark Dataset as checkpoint {@code name}, replacing any checkpoint of that name in
   * one atomic step: until the save commits, readers see the previous checkpoint; if it fails
   * (or the process dies), the previous checkpoint stays and nothing new is listed.
   *
   * @throws StorageUnavailableException for {@link Storage#LOCAL} when Spark runs on executors
   */
  public void saveCheckpointSpark(Dataset<Row> df, String name, Storage storage) {
    requireNonNull(df, "df is null");
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    call(() -> {
      transfers.saveCheckpointSpark(df, name, storage, catalog);
      return null;
    });
  }

  /** Saves an engine frame as checkpoint {@code name} in the volume store. */
  public void saveCheckpointFrame(F frame, String name) {
    saveCheckpointFrame(frame, name, Storage.VOLUME);
  }

  /**
   * Saves an engine frame (eager or lazy: a lazy frame streams to the files without being
   * loaded) as checkpoint {@code name}, replacing any checkpoint of that name atomically, as
   * {@link #saveCheckpointSpark(Dataset, String, Storage)} does.
   */
  public void saveCheckpointFrame(F frame, String name, Storage storage) {
    requireNonNull(frame, "frame is null");
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    call(() -> {
      transfers.saveCheckpointFrame(frame, name, storage, catalog);
      return null;
    });
  }

  /** Loads checkpoint {@code name} from the volume store as a Spark Dataset. */
  public Dataset<Row> loadCheckpointSpark(String name) {
    return loadCheckpointSpark(name, Storage.VOLUME);
  }

  /**
   * Loads checkpoint {@code name} as a Spark Dataset reading exactly the committed files. A
   * checkpoint Spark wrote comes back with its saved schema; one an engine wrote with the types
   * its Parquet files carry. Valid until teardown: the data stays while this run lives, even if
   * another run overwrites or deletes the checkpoint meanwhile.
   */
  public Dataset<Row> loadCheckpointSpark(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> transfers.loadCheckpointSpark(name, storage, catalog));
  }

  /** Loads checkpoint {@code name} from the volume store into the engine (eagerly). */
  public F loadCheckpointFrame(String name) {
    return loadCheckpointFrame(name, Storage.VOLUME);
  }

  /** Loads checkpoint {@code name} into the engine (eagerly). */
  public F loadCheckpointFrame(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> transfers.readCheckpointFrame(name, false, catalog));
  }

  /** A lazy frame scanning checkpoint {@code name} in the volume store. */
  public F scanCheckpointFrame(String name) {
    return scanCheckpointFrame(name, Storage.VOLUME);
  }

  /**
   * A lazy frame scanning checkpoint {@code name}: nothing is loaded until it is used. Valid
   * until teardown, as {@link #loadCheckpointSpark(String, Storage)} is.
   */
  public F scanCheckpointFrame(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> transfers.readCheckpointFrame(name, true, catalog));
  }

  /** The committed checkpoints in the volume store, sorted by name. */
  public List<String> listCheckpoints() {
    return listCheckpoints(Storage.VOLUME);
  }

  /**
   * The committed checkpoints in a storage, sorted by name: only those with a manifest, never
   * spill's working folders, the leftovers of a failed save, or anything else in the store.
   */
  public List<String> listCheckpoints(Storage storage) {
    CheckpointCatalog catalog = catalog(storage);
    return call(catalog::list);
  }

  /** Deletes checkpoint {@code name} from the volume store. */
  public boolean deleteCheckpoint(String name) {
    return deleteCheckpoint(name, Storage.VOLUME);
  }

  /**
   * Deletes checkpoint {@code name}: its manifest first, so it stops being listed at once, then
   * the data its manifest names (kept until they end if other live runs have loaded it). A
   * folder of that name without a manifest is not a checkpoint and is left alone.
   *
   * @return whether a checkpoint of that name existed
   */
  public boolean deleteCheckpoint(String name, Storage storage) {
    Identifiers.checkpointName(name);
    CheckpointCatalog catalog = catalog(storage);
    return call(() -> {
      boolean existed = catalog.delete(name);
      if (existed) {
        LOG.info("spill: deleted checkpoint '{}' from {}", name, storage);
      }
      return existed;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Removes what ended runs left behind in both stores: run namespaces whose lease expired and
   * was last renewed more than {@code olderThan} ago, checkpoint data no manifest names whose
   * writer's lease is gone, and temporary files of killed writes. Never a live run's files, never
   * data a manifest names or a live run has loaded, never a file spill did not write. An
   * unreadable manifest or lease is reported in {@link PurgeReport#problems()} and skipped.
   *
   * @param olderThan at least 5 minutes, the lease a live run renews every minute
   * @throws SpillConfigurationException for a cutoff under 5 minutes
   */
  public PurgeReport purgeStaleRuns(Duration olderThan) {
    Purger.checkCutoff(olderThan);
    return call(() -> {
      List<String> runs = new ArrayList<>();
      List<String> orphans = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      Purger purger = new Purger(run);
      for (CheckpointCatalog catalog : catalogs()) {
        purger.purge(catalog.store(), catalog, olderThan, runs, orphans, problems);
      }
      Purger.log(runs, orphans, problems, olderThan);
      return new PurgeReport(runs, orphans, problems);
    });
  }

  /**
   * Ends the run, after the calls in flight. DEV: removes this run's spill files and keeps
   * checkpoints. PROD: also removes the checkpoints this run created, puts back those it
   * overwrote, and drops a container spill created once nothing else is left in it. Both: the
   * data of checkpoints this run touched that nothing names any more goes, unless another live
   * run has it loaded. Closes the engine and the stores. Idempotent; a second caller waits for
   * the first to finish.
   *
   * @throws SpillException listing what could not be removed (purgeStaleRuns removes it later)
   */
  public void teardown() {
    teardown(null);
  }

  /** The same as {@link #teardown()}. */
  @Override
  public void close() {
    teardown();
  }

  private void teardown(Duration maxWait) {
    if (!tearingDown.compareAndSet(false, true)) {
      awaitTeardown();
      return;
    }
    try {
      if (!gate.close(maxWait == null ? Duration.ofDays(365) : maxWait)) {
        LOG.warn("spill run {}: calls were still running after {}; tearing down anyway",
            run.id(), maxWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
      for (CheckpointCatalog catalog : catalogs()) {
        if (run.mode() == Mode.PROD) { // first, while this run still pins what it puts back
          SpillRun.attempt(failures, () -> catalog.restoreOriginals(failures));
        }
      }
      run.beginEnding(failures);
      for (CheckpointCatalog catalog : catalogs()) {
        SpillRun.attempt(failures, () -> catalog.removeUnnamedData(failures));
      }
      run.end(failures);
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
        SpillException e = new SpillException("teardown of spill run " + run.id() + " left "
            + failures.size() + " problem(s); the first: " + failures.get(0).getMessage()
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
    return volumeCatalog == localCatalog ? List.of(volumeCatalog)
        : List.of(volumeCatalog, localCatalog);
  }

  private List<SpillStore> stores() {
    return volume == local ? List.of(volume) : List.of(volume, local);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Configures a {@link VolumeSpiller}. Every setter changes this builder and returns it. Without
   * {@link #volume}/{@link #store}, the volume store is the driver-local folder
   * ({@link #localDir}).
   *
   * @param <F> the frame type of the chosen engine
   */
  public static final class Builder<F> {
    private final SparkSession spark;
    private FrameEngine<F> engine;
    private String location;
    private SpillStore store;
    private Mode mode = Mode.DEV;
    private Path localDir;
    private final Map<String, String> options = new LinkedHashMap<>();
    private TimestampPolicy timestampPolicy = TimestampPolicy.TRUNCATE;
    private boolean shutdownHook = true;

    private Builder(SparkSession spark) {
      this.spark = spark;
    }

    /**
     * The engine, such as {@code DuckDbEngine.create()}; the spiller owns it and closes it at
     * teardown, or when {@link #build()} fails. Changes this builder and returns it with the
     * engine's frame type.
     */
    @SuppressWarnings("unchecked")
    public <G> Builder<G> engine(FrameEngine<G> engine) {
      Builder<G> typed = (Builder<G>) this;
      typed.engine = requireNonNull(engine, "engine is null");
      return typed;
    }

    /**
     * The engine by provider name (config-driven jobs), checked to return {@code frameType}.
     * Engine options ({@code duckdb.*}) given with {@link #option} before or after are applied
     * at {@link #build()}.
     */
    public <G> Builder<G> engine(String name, Class<G> frameType) {
      requireNonNull(name, "name is null");
      requireNonNull(frameType, "frameType is null");
      FrameEngine<?> created = ProviderRegistry.load(classLoader()).engineNamed(name)
          .create(Map.of());
      if (!frameType.equals(created.frameType())) {
        created.close();
        throw new SpillConfigurationException("engine '" + name + "' returns "
            + created.frameType().getName() + " frames, not " + frameType.getName());
      }
      @SuppressWarnings("unchecked")
      FrameEngine<G> typed = (FrameEngine<G>) created;
      return engine(typed);
    }

    /** A Unity Catalog volume {@code /Volumes/catalog/schema/volume} (needs spill-storage-uc). */
    public Builder<F> volume(String catalog, String schema, String volume) {
      this.location = "/Volumes/" + Identifiers.sqlName("catalog", catalog) + "/"
          + Identifiers.sqlName("schema", schema) + "/" + Identifiers.sqlName("volume", volume);
      this.store = null;
      return this;
    }

    /**
     * A store by location: {@code s3://bucket/prefix}, {@code file:///data/spill}, a plain path.
     * A plain path is taken literally; a relative one is resolved against the working
     * directory; {@code ~} and {@code .}/{@code ..} segments are refused.
     */
    public Builder<F> store(String location) {
      requireNonNull(location, "location is null");
      if (location.isBlank()) {
        throw new SpillConfigurationException("store location is blank; pass a URI such as"
            + " s3://bucket/prefix or file:///data/spill");
      }
      this.location = location;
      this.store = null;
      return this;
    }

    /** A store made by the caller; spill closes it at teardown (or when build fails). */
    public Builder<F> store(SpillStore store) {
      this.store = requireNonNull(store, "store is null");
      this.location = null;
      return this;
    }

    /** {@code true}: {@link Mode#DEV} (the default); {@code false}: {@link Mode#PROD}. */
    public Builder<F> dev(boolean dev) {
      return mode(dev ? Mode.DEV : Mode.PROD);
    }

    /** The mode teardown follows. */
    public Builder<F> mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode is null");
      return this;
    }

    /**
     * The driver-local store's folder; default {@code java.io.tmpdir/spill-<user>}. Taken as
     * given: {@code ~} and {@code .}/{@code ..} segments are refused at {@link #build()}.
     */
    public Builder<F> localDir(Path localDir) {
      this.localDir = requireNonNull(localDir, "localDir is null");
      return this;
    }

    /**
     * A setting for the store or the engine, by namespaced key ({@code s3.region},
     * {@code duckdb.memory-limit}, ...). A key neither uses is an error at {@link #build()}.
     */
    public Builder<F> option(String key, String value) {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value of option " + key + " is null");
      options.put(key, value);
      return this;
    }

    /** Several settings, as {@link #option(String, String)}. */
    public Builder<F> options(Map<String, String> settings) {
      requireNonNull(settings, "settings is null").forEach(this::option);
      return this;
    }

    /** What happens to sub-microsecond timestamp digits on the way to Spark; default truncate. */
    public Builder<F> timestampPolicy(TimestampPolicy policy) {
      this.timestampPolicy = requireNonNull(policy, "policy is null");
      return this;
    }

    /** Whether a JVM shutdown hook tears the run down if the program ends without it (default). */
    public Builder<F> shutdownHook(boolean on) {
      this.shutdownHook = on;
      return this;
    }

    /**
     * Checks every setting before any I/O, then opens the stores (creating a missing container),
     * takes the run's lease and starts the run. If anything fails, nothing is left behind: the
     * engine and stores are closed, and a container or lease this call created is removed.
     *
     * @throws SpillConfigurationException if no engine is set, a store module is missing, an
     *     option key is used by neither the store nor the engine, or a location is unusable
     */
    public VolumeSpiller<F> build() {
      if (engine == null) {
        throw new SpillConfigurationException("no engine: call .engine(DuckDbEngine.create())"
            + " (module spill-engine-duckdb) or .engine(\"duckdb\", DuckDbFrame.class)");
      }
      List<SpillStore> opened = new ArrayList<>();
      SpillRun run = null;
      List<SpillStore> created = new ArrayList<>();
      try {
        StoreSetup setup = StoreSetup.resolve(classLoader(), location, localDir, options,
            engine);
        engine.configure(setup.engineOptions());
        SpillStore localStore = setup.openLocal();
        opened.add(localStore);
        SpillStore volumeStore = store != null ? store : setup.openVolume(localStore, spark);
        if (volumeStore != localStore) {
          opened.add(volumeStore);
        }
        run = new SpillRun(mode, List.of(volumeStore, localStore).stream().distinct().toList(),
            Clock.systemUTC());
        for (SpillStore s : opened) {
          if (Containers.open(s, run.id())) {
            created.add(s);
          }
        }
        run.start();
        if (engine instanceof SupportsScratchDirectory scratch) {
          scratch.scratchDirectory(localStore.engineUri(SpillLayout.scratchDir(run.id())));
        }
        return new VolumeSpiller<>(this, run, volumeStore, localStore);
      } catch (RuntimeException e) {
        undo(e, run, created, opened);
        throw e;
      }
    }

    private void undo(RuntimeException failure, SpillRun run, List<SpillStore> created,
        List<SpillStore> opened) {
      List<RuntimeException> failures = new ArrayList<>();
      if (run != null) {
        run.end(failures);
      }
      for (SpillStore s : created) {
        SpillRun.attempt(failures, () -> Containers.dropIfOnlySpillIsLeft(s));
      }
      SpillRun.attempt(failures, engine::close);
      if (store != null && !opened.contains(store)) {
        opened.add(store);
      }
      for (SpillStore s : opened) {
        SpillRun.attempt(failures, s::close);
      }
      failures.forEach(failure::addSuppressed);
    }

    private static ClassLoader classLoader() {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return context != null ? context : VolumeSpiller.class.getClassLoader();
    }
  }
}
