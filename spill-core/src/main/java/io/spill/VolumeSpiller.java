package io.spill;

import static java.util.Objects.requireNonNull;

import io.spill.spi.CheckpointNotFoundException;
import io.spill.spi.ColumnSchema;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data between Spark and a single-node engine on the driver by spilling Parquet to shared
 * storage instead of collecting rows through the driver, and keeps checkpoints.
 *
 * <p>Each spiller is one run: it works in a fresh namespace {@code _spill/<run-id>} of its stores
 * and never touches other runs' files. Checkpoints live in {@code checkpoints/<name>} of a store,
 * shared by all runs; any checkpoint loads as a Spark Dataset or as an engine frame, whichever side
 * wrote it.
 *
 * <p><b>Lifetime.</b> Datasets returned by {@link #engineToSpark} and {@link #loadCheckpointSpark},
 * and lazy frames, read spill files when they are used: they stay valid until {@link #teardown()}
 * (or {@link #close()}), not after. The spiller owns its engine and closes it at teardown, which
 * also runs from a JVM shutdown hook if the program ends without it.
 *
 * <p>A spiller is safe to use from several threads.
 *
 * @param <F> the engine's frame type, such as {@code DuckDbFrame}
 */
public final class VolumeSpiller<F> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeSpiller.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final SparkParquet spark;
  private final FrameEngine<F> engine;
  private final Mode mode;
  private final TimestampPolicy timestampPolicy;
  private final String runId;
  private final SpillStore volume;
  private final SpillStore local;
  private final Set<SpillStore> createdContainers;
  private final List<StoredPath> committedByRun = new ArrayList<>();
  private final List<StoredPath> supersededByRun = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private VolumeSpiller(Builder<F> b, SpillStore volume, SpillStore local) {
    this.spark = new SparkParquet(b.spark);
    this.engine = b.engine;
    this.mode = b.mode;
    this.timestampPolicy = b.timestampPolicy;
    this.volume = volume;
    this.local = local;
    this.runId = RUN_TIME.format(Instant.now()) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    this.createdContainers = new LinkedHashSet<>();
    for (SpillStore store : stores()) {
      if (store instanceof SupportsContainerLifecycle lifecycle
          && lifecycle.createContainerIfMissing()) {
        store.write(SpillLayout.OWNER_MARKER, json(Map.of(
            "createdBy", "spill", "runId", runId, "createdAt", Instant.now().toString())));
        createdContainers.add(store);
      }
      store.write(SpillLayout.runMarker(runId), json(Map.of(
          "runId", runId,
          "mode", mode.name(),
          "startedAt", Instant.now().toString(),
          "user", System.getProperty("user.name", "unknown"),
          "pid", Long.toString(ProcessHandle.current().pid()))));
    }
    if (b.shutdownHook) {
      this.shutdownHook = new Thread(this::teardownAtExit, "spill-teardown-" + runId);
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
    LOG.info("spill run {} started in {} mode: volume {}, local {}, engine {}",
        runId, mode, volume.describe(), local.describe(), engine.name());
  }

  /** Starts a builder for a spiller on {@code spark}; choose an engine with {@code engine(...)}. */
  public static Builder<Object> builder(SparkSession spark) {
    return new Builder<>(requireNonNull(spark, "spark is null"));
  }

  /** This run's id, also the name of its namespace {@code _spill/<run-id>}. */
  public String runId() {
    return runId;
  }

  /** The mode teardown follows. */
  public Mode mode() {
    return mode;
  }

  /** The engine this spiller owns. */
  public FrameEngine<F> engine() {
    return engine;
  }

  /** The store behind a storage. Without a configured store, both are the driver-local one. */
  public SpillStore store(Storage storage) {
    return requireNonNull(storage, "storage is null") == Storage.LOCAL ? local : volume;
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
    ensureOpen();
    requireSparkCanReach(volume, "sparkToEngine");
    long start = System.nanoTime();
    String dir = SpillLayout.frameDir(runId, newId());
    spark.write(df, volume.sparkUri(dir));
    SparkParquet.Committed written = spark.committed(volume.sparkUri(dir), df.schema());
    long bytes = sizeOf(volume, dir, written.files());
    if (how.optimizesFiles() && written.files().size() > 1
        && bytes / written.files().size() < how.targetFileBytes() / 2) {
      String compacted = dir + "-optimized";
      spark.compact(uris(volume, dir, written.files(), true), df.schema(),
          volume.sparkUri(compacted), how.targetFileBytes());
      SparkParquet.Committed packed = spark.committed(volume.sparkUri(compacted), df.schema());
      LOG.info("spill: optimizeFiles packed {} files into {} (target {} bytes)",
          written.files().size(), packed.files().size(), how.targetFileBytes());
      volume.delete(dir);
      dir = compacted;
      written = packed;
      bytes = sizeOf(volume, dir, written.files());
    }
    F frame = engine.read(uris(volume, dir, written.files(), false), how.isLazy());
    if (!how.isLazy()) {
      volume.delete(dir);
    }
    logMove("Spark -> " + engine.name() + (how.isLazy() ? " (lazy)" : " (eager)"),
        written.rows(), written.files().size(), bytes, start);
    return frame;
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
    ensureOpen();
    requireSparkCanReach(volume, "engineToSpark");
    long start = System.nanoTime();
    String dir = SpillLayout.frameDir(runId, newId());
    WriteResult written = writeFrame(frame, volume, dir);
    Dataset<Row> df = spark.read(uris(volume, dir, written.files(), true), null);
    if (cleanup) {
      engine.release(frame);
    }
    logMove(engine.name() + " -> Spark", written.rows(), written.files().size(),
        sizeOf(volume, dir, written.files()), start);
    return df;
  }

  // ---------------------------------------------------------------------------------------------
  // Checkpoints

  /** Saves a Spark Dataset as checkpoint {@code name} in the volume store. */
  public void saveCheckpointSpark(Dataset<Row> df, String name) {
    saveCheckpointSpark(df, name, Storage.VOLUME);
  }

  /**
   * Saves a Spark Dataset as checkpoint {@code name}, replacing any checkpoint of that name in
   * one atomic step: until the save commits, readers see the previous checkpoint; if it fails,
   * the previous checkpoint stays and nothing new is listed.
   *
   * @throws StorageUnavailableException for {@link Storage#LOCAL} when Spark runs on executors
   */
  public void saveCheckpointSpark(Dataset<Row> df, String name, Storage storage) {
    requireNonNull(df, "df is null");
    Identifiers.checkpointName(name);
    SpillStore store = store(storage);
    ensureOpen();
    requireSparkCanReach(store, "saveCheckpointSpark to " + storage);
    long start = System.nanoTime();
    String dataDir = SpillLayout.dataDir(name, runId + "-" + newId());
    SparkParquet.Committed written;
    try {
      spark.write(df, store.sparkUri(dataDir));
      written = spark.committed(store.sparkUri(dataDir), df.schema());
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes
      deleteQuietly(store, dataDir);
      throw failedSave(name, storage, e);
    }
    StructType schema = df.schema();
    List<ColumnSchema> columns = Arrays.stream(schema.fields())
        .map(f -> new ColumnSchema(f.name(), f.dataType().sql()))
        .toList();
    commit(store, storage, name, dataDir, "spark", written.files(), written.rows(), columns,
        schema.json(), start);
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
    SpillStore store = store(storage);
    ensureOpen();
    long start = System.nanoTime();
    String dataDir = SpillLayout.dataDir(name, runId + "-" + newId());
    WriteResult written;
    try {
      written = writeFrame(frame, store, dataDir);
    } catch (RuntimeException e) {
      deleteQuietly(store, dataDir);
      throw failedSave(name, storage, e);
    }
    commit(store, storage, name, dataDir, engine.name(), written.files(), written.rows(),
        written.columns(), null, start);
  }

  /** Loads checkpoint {@code name} from the volume store as a Spark Dataset. */
  public Dataset<Row> loadCheckpointSpark(String name) {
    return loadCheckpointSpark(name, Storage.VOLUME);
  }

  /**
   * Loads checkpoint {@code name} as a Spark Dataset reading exactly the committed files. A
   * checkpoint Spark wrote comes back with its saved schema; one an engine wrote with the types
   * its Parquet files carry. Valid until teardown, or until the checkpoint is overwritten by
   * another run.
   */
  public Dataset<Row> loadCheckpointSpark(String name, Storage storage) {
    SpillStore store = store(storage);
    ensureOpen();
    requireSparkCanReach(store, "loadCheckpointSpark from " + storage);
    CheckpointManifest m = manifest(store, storage, name);
    StructType schema = m.sparkSchema() == null ? null
        : (StructType) DataType.fromJson(m.sparkSchema());
    return spark.read(uris(store, SpillLayout.checkpointDir(name), m.files(), true), schema);
  }

  /** Loads checkpoint {@code name} from the volume store into the engine (eagerly). */
  public F loadCheckpointFrame(String name) {
    return loadCheckpointFrame(name, Storage.VOLUME);
  }

  /** Loads checkpoint {@code name} into the engine (eagerly). */
  public F loadCheckpointFrame(String name, Storage storage) {
    return readCheckpointFrame(name, storage, false);
  }

  /** A lazy frame scanning checkpoint {@code name} in the volume store. */
  public F scanCheckpointFrame(String name) {
    return scanCheckpointFrame(name, Storage.VOLUME);
  }

  /**
   * A lazy frame scanning checkpoint {@code name}: nothing is loaded until it is used. Valid
   * until teardown, or until the checkpoint is overwritten by another run.
   */
  public F scanCheckpointFrame(String name, Storage storage) {
    return readCheckpointFrame(name, storage, true);
  }

  private F readCheckpointFrame(String name, Storage storage, boolean lazy) {
    SpillStore store = store(storage);
    ensureOpen();
    CheckpointManifest m = manifest(store, storage, name);
    return engine.read(uris(store, SpillLayout.checkpointDir(name), m.files(), false), lazy);
  }

  /** The committed checkpoints in the volume store, sorted by name. */
  public List<String> listCheckpoints() {
    return listCheckpoints(Storage.VOLUME);
  }

  /**
   * The committed checkpoints in a storage, sorted by name: only those with a manifest, never
   * spill's working folders or the leftovers of a failed save.
   */
  public List<String> listCheckpoints(Storage storage) {
    SpillStore store = store(storage);
    ensureOpen();
    List<String> names = new ArrayList<>();
    for (StoreEntry e : store.list(SpillLayout.CHECKPOINTS)) {
      if (e.directory()
          && store.list(SpillLayout.checkpointDir(e.name())).stream()
              .anyMatch(c -> !c.directory() && c.name().equals(SpillLayout.MANIFEST))) {
        names.add(e.name());
      }
    }
    names.sort(null);
    return List.copyOf(names);
  }

  /** Deletes checkpoint {@code name} from the volume store. */
  public boolean deleteCheckpoint(String name) {
    return deleteCheckpoint(name, Storage.VOLUME);
  }

  /**
   * Deletes checkpoint {@code name}: its manifest first, so it stops being listed at once, then
   * its files.
   *
   * @return whether a checkpoint of that name existed
   */
  public boolean deleteCheckpoint(String name, Storage storage) {
    Identifiers.checkpointName(name);
    SpillStore store = store(storage);
    ensureOpen();
    boolean existed = store.delete(SpillLayout.manifest(name));
    store.delete(SpillLayout.checkpointDir(name));
    if (existed) {
      LOG.info("spill: deleted checkpoint '{}' from {}", name, storage);
    }
    return existed;
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Removes what crashed or abandoned runs left behind in both stores: run namespaces started
   * more than {@code olderThan} ago, and checkpoint data folders no manifest names that are
   * older than that. Never this run's files, never a checkpoint a manifest names, never a file
   * spill did not write.
   */
  public PurgeReport purgeStaleRuns(Duration olderThan) {
    requireNonNull(olderThan, "olderThan is null");
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan is negative: " + olderThan);
    }
    ensureOpen();
    Instant cutoff = Instant.now().minus(olderThan);
    List<String> runs = new ArrayList<>();
    List<String> orphans = new ArrayList<>();
    for (SpillStore store : stores()) {
      for (StoreEntry run : store.list(SpillLayout.RUNS)) {
        if (run.directory() && !run.name().equals(runId)
            && SpillLayout.RUN_ID.matcher(run.name()).matches()
            && runStart(run.name()).isBefore(cutoff)) {
          store.delete(SpillLayout.runDir(run.name()));
          runs.add(store.describe() + " " + SpillLayout.runDir(run.name()));
        }
      }
      for (StoreEntry cp : store.list(SpillLayout.CHECKPOINTS)) {
        if (!cp.directory()) {
          continue;
        }
        String dir = SpillLayout.checkpointDir(cp.name());
        String referenced = store.exists(SpillLayout.manifest(cp.name()))
            ? CheckpointManifest.fromJson(dir, store.read(SpillLayout.manifest(cp.name())))
                .dataDir()
            : null;
        for (StoreEntry data : store.list(dir)) {
          if (data.directory() && data.name().startsWith(SpillLayout.DATA_PREFIX)
              && !data.name().equals(referenced) && !data.name().contains(runId)
              && data.modified().isBefore(cutoff)) {
            store.delete(SpillLayout.join(dir, data.name()));
            orphans.add(store.describe() + " " + SpillLayout.join(dir, data.name()));
          }
        }
      }
    }
    LOG.info("spill: purged {} stale runs and {} orphaned checkpoint folders older than {}",
        runs.size(), orphans.size(), olderThan);
    return new PurgeReport(runs, orphans);
  }

  /**
   * Ends the run. DEV: removes this run's spill files and keeps checkpoints. PROD: also removes
   * the checkpoints this run committed, then drops a container spill created if nothing else is
   * left in it. Closes the engine and the stores. Idempotent; safe after a failure.
   */
  public void teardown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook may run too and will find nothing to do
      }
    }
    List<RuntimeException> failures = new ArrayList<>();
    attempt(failures, engine::close);
    for (SpillStore store : stores()) {
      attempt(failures, () -> store.delete(SpillLayout.runDir(runId)));
    }
    synchronized (this) {
      for (StoredPath s : supersededByRun) {
        attempt(failures, () -> s.store().delete(s.path()));
      }
      if (mode == Mode.PROD) {
        for (StoredPath c : committedByRun) {
          attempt(failures, () -> removeOwnCheckpoint(c));
        }
      }
    }
    if (mode == Mode.PROD) {
      for (SpillStore store : createdContainers) {
        attempt(failures, () -> dropIfOnlySpillIsLeft(store));
      }
    }
    for (SpillStore store : stores()) {
      attempt(failures, store::close);
    }
    LOG.info("spill run {} torn down ({} mode)", runId, mode);
    if (!failures.isEmpty()) {
      SpillException e = new SpillException("teardown of spill run " + runId + " left "
          + failures.size() + " problem(s); the first: " + failures.get(0).getMessage()
          + ". Run purgeStaleRuns from a later spiller to remove what is left");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** The same as {@link #teardown()}. */
  @Override
  public void close() {
    teardown();
  }

  private void teardownAtExit() {
    try {
      teardown();
    } catch (RuntimeException e) {
      LOG.warn("spill teardown at JVM exit failed: {}", e.getMessage());
    }
  }

  private void removeOwnCheckpoint(StoredPath committed) {
    SpillStore store = committed.store();
    String name = committed.path().split("/")[1];
    String manifestPath = SpillLayout.manifest(name);
    String current = store.exists(manifestPath)
        ? CheckpointManifest.fromJson(manifestPath, store.read(manifestPath)).dataDir() : null;
    String ours = committed.path().substring(committed.path().lastIndexOf('/') + 1);
    if (ours.equals(current)) {
      store.delete(manifestPath);
    }
    store.delete(committed.path());
    if (store.list(SpillLayout.checkpointDir(name)).isEmpty()) {
      store.delete(SpillLayout.checkpointDir(name));
    }
  }

  private void dropIfOnlySpillIsLeft(SpillStore store) {
    Set<String> left = new LinkedHashSet<>();
    for (StoreEntry e : store.list("")) {
      boolean emptySpillDir = e.directory()
          && (e.name().equals(SpillLayout.RUNS) || e.name().equals(SpillLayout.CHECKPOINTS))
          && store.list(e.name()).isEmpty();
      if (!emptySpillDir && !e.name().equals(SpillLayout.OWNER_MARKER)) {
        left.add(e.name());
      }
    }
    if (!left.isEmpty()) {
      LOG.info("spill: keeping {} although spill created it: it still holds {}",
          store.describe(), left);
      return;
    }
    store.delete(SpillLayout.RUNS);
    store.delete(SpillLayout.CHECKPOINTS);
    store.delete(SpillLayout.OWNER_MARKER);
    ((SupportsContainerLifecycle) store).dropContainer();
    LOG.info("spill: dropped {}, which this run created", store.describe());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private WriteResult writeFrame(F frame, SpillStore store, String dir) {
    F portable = engine.timestampNormalizer().normalize(frame, timestampPolicy);
    try {
      return engine.write(portable, store.engineUri(dir), ToEngine.DEFAULT_TARGET_FILE_BYTES);
    } finally {
      if (portable != frame) {
        engine.release(portable);
      }
    }
  }

  private void commit(SpillStore store, Storage storage, String name, String dataDir,
      String writer, List<String> files, long rows, List<ColumnSchema> columns,
      String sparkSchema, long start) {
    String dataName = dataDir.substring(dataDir.lastIndexOf('/') + 1);
    long bytes = sizeOf(store, dataDir, files);
    String manifestPath = SpillLayout.manifest(name);
    String previous;
    synchronized (this) {
      previous = store.exists(manifestPath)
          ? CheckpointManifest.fromJson(manifestPath, store.read(manifestPath)).dataDir() : null;
      CheckpointManifest m = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, name,
          writer, dataName, files.stream().map(f -> dataName + "/" + f).toList(), rows, bytes,
          columns, sparkSchema, runId, Instant.now().toString());
      store.write(manifestPath, m.toJson());
      committedByRun.add(new StoredPath(store, dataDir));
      if (previous != null && !previous.equals(dataName)) {
        // Datasets loaded from the previous version stay valid until teardown.
        supersededByRun.add(new StoredPath(store,
            SpillLayout.join(SpillLayout.checkpointDir(name), previous)));
      }
    }
    logMove("checkpoint '" + name + "' (" + writer + " -> " + storage + ")", rows, files.size(),
        bytes, start);
  }

  /**
   * The error for a failed checkpoint save, whose partial files are already removed. spill's own
   * specific errors (an unsupported column type, precision loss) keep their type.
   */
  private static SpillException failedSave(String name, Storage storage, Exception e) {
    String message = "saving checkpoint '" + name + "' to " + storage + " failed; the previous"
        + " checkpoint of that name, if any, is unchanged: " + e.getMessage();
    if (e instanceof SpillException specific && e.getClass() != SpillException.class) {
      specific.addSuppressed(new SpillException(message));
      return specific;
    }
    return new SpillException(message, e);
  }

  private CheckpointManifest manifest(SpillStore store, Storage storage, String name) {
    Identifiers.checkpointName(name);
    String path = SpillLayout.manifest(name);
    if (!store.exists(path)) {
      throw new CheckpointNotFoundException("no checkpoint '" + name + "' in " + storage + " ("
          + store.describe() + "); saved checkpoints there: " + listCheckpoints(storage));
    }
    return CheckpointManifest.fromJson(store.describe() + "/" + path, store.read(path));
  }

  private void requireSparkCanReach(SpillStore store, String operation) {
    if (store.sparkUri("").startsWith("file:") && !spark.runsOnDriverOnly()) {
      throw new StorageUnavailableException(operation + " needs Spark to read or write "
          + store.describe() + ", which is on the driver's local disk, but Spark runs on"
          + " executors (master '" + spark.master() + "') that cannot see it. Use"
          + " Storage.VOLUME with a Unity Catalog volume or S3 store"
          + " (builder.volume(...) or builder.store(\"s3://...\")), or a single-node cluster");
    }
  }

  private static List<String> uris(SpillStore store, String dir, List<String> files,
      boolean forSpark) {
    return files.stream()
        .map(f -> SpillLayout.join(dir, f))
        .map(p -> forSpark ? store.sparkUri(p) : store.engineUri(p))
        .toList();
  }

  private static long sizeOf(SpillStore store, String dir, List<String> files) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    collectSizes(store, dir, "", sizes);
    return files.stream().mapToLong(f -> sizes.getOrDefault(f, 0L)).sum();
  }

  private static void collectSizes(SpillStore store, String dir, String prefix,
      Map<String, Long> sizes) {
    for (StoreEntry e : store.list(dir)) {
      if (e.directory()) {
        collectSizes(store, SpillLayout.join(dir, e.name()), prefix + e.name() + "/", sizes);
      } else {
        sizes.put(prefix + e.name(), e.size());
      }
    }
  }

  private void logMove(String what, long rows, int files, long bytes, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info(String.format(Locale.ROOT, "spill: %s: %,d rows, %d files, %,d bytes in %.3f s",
        what, rows, files, bytes, seconds));
  }

  private static Instant runStart(String runId) {
    return java.time.LocalDateTime.parse(runId.substring(0, 18), RUN_TIME_PARSE)
        .toInstant(ZoneOffset.UTC);
  }

  private static final DateTimeFormatter RUN_TIME_PARSE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

  private List<SpillStore> stores() {
    return volume == local ? List.of(volume) : List.of(volume, local);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("spill run " + runId
          + " was torn down; build a new VolumeSpiller to go on");
    }
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static void deleteQuietly(SpillStore store, String path) {
    try {
      store.delete(path);
    } catch (RuntimeException e) {
      LOG.warn("spill: could not remove the partial write {}: {}", path, e.getMessage());
    }
  }

  private static void attempt(List<RuntimeException> failures, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private static byte[] json(Map<String, String> fields) {
    try {
      return CheckpointManifest.JSON.writeValueAsBytes(new java.util.TreeMap<>(fields));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SpillException("cannot write a spill marker", e);
    }
  }


  /** A path in a particular store. */
  private record StoredPath(SpillStore store, String path) {}

  // ---------------------------------------------------------------------------------------------

  /**
   * Configures a {@link VolumeSpiller}. Without {@link #volume}/{@link #store}, the volume store
   * is the driver-local folder ({@link #localDir}).
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

    private Builder(Builder<?> other, FrameEngine<F> engine) {
      this.spark = other.spark;
      this.engine = engine;
      this.location = other.location;
      this.store = other.store;
      this.mode = other.mode;
      this.localDir = other.localDir;
      this.options.putAll(other.options);
      this.timestampPolicy = other.timestampPolicy;
      this.shutdownHook = other.shutdownHook;
    }

    /** The engine, such as {@code DuckDbEngine.create()}; the spiller owns and closes it. */
    public <G> Builder<G> engine(FrameEngine<G> engine) {
      return new Builder<>(this, requireNonNull(engine, "engine is null"));
    }

    /**
     * The engine by provider name (config-driven jobs), checked to return {@code frameType}.
     * Engine options ({@code duckdb.*}) given with {@link #option} before or after are applied.
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
      return new Builder<>(this, typed);
    }

    /** A Unity Catalog volume {@code /Volumes/catalog/schema/volume} (needs spill-storage-uc). */
    public Builder<F> volume(String catalog, String schema, String volume) {
      this.location = "/Volumes/" + Identifiers.sqlName("catalog", catalog) + "/"
          + Identifiers.sqlName("schema", schema) + "/" + Identifiers.sqlName("volume", volume);
      this.store = null;
      return this;
    }

    /** A store by location: {@code s3://bucket/prefix}, {@code file:///data/spill}, a path. */
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

    /** A store made by the caller; spill closes it at teardown. */
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

    /** The driver-local store's folder; default {@code java.io.tmpdir/spill-<user>}. */
    public Builder<F> localDir(Path localDir) {
      this.localDir = requireNonNull(localDir, "localDir is null").toAbsolutePath().normalize();
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
     * Opens the stores (creating the container if missing), applies the options, and starts the
     * run.
     *
     * @throws SpillConfigurationException if no engine is set, a store module is missing, or an
     *     option key is used by neither the store nor the engine
     */
    public VolumeSpiller<F> build() {
      if (engine == null) {
        throw new SpillConfigurationException("no engine: call .engine(DuckDbEngine.create())"
            + " (module spill-engine-duckdb) or .engine(\"duckdb\", DuckDbFrame.class)");
      }
      ProviderRegistry registry = ProviderRegistry.load(classLoader());
      Path dir = localDir != null ? localDir
          : Path.of(System.getProperty("java.io.tmpdir"),
              "spill-" + System.getProperty("user.name", "user"));
      var localProvider = registry.storeFor(dir.toString());
      var volumeProvider = location == null ? null : registry.storeFor(location);

      Map<String, Map<String, String>> byNamespace = new LinkedHashMap<>();
      for (var e : options.entrySet()) {
        int dot = e.getKey().indexOf('.');
        String ns = dot > 0 ? e.getKey().substring(0, dot) : "";
        Set<String> known = ns.equals(engine.optionNamespace()) ? engine.optionKeys()
            : volumeProvider != null && ns.equals(volumeProvider.optionNamespace())
                ? volumeProvider.optionKeys() : null;
        if (known == null || ns.isEmpty()) {
          throw new SpillConfigurationException("option '" + e.getKey() + "' is not used by the"
              + " store (" + (store != null ? store.describe()
                  : location != null ? location : dir) + ") or the engine (" + engine.name()
              + "); options are namespaced, for example "
              + (engine.optionKeys().isEmpty() ? "s3.region" : engine.optionKeys()));
        }
        if (!known.contains(e.getKey())) {
          throw new SpillConfigurationException("unknown option '" + e.getKey() + "' for "
              + ns + "; known keys: " + new java.util.TreeSet<>(known));
        }
        byNamespace.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
      }
      engine.configure(byNamespace.getOrDefault(engine.optionNamespace(), Map.of()));
      SpillStore localStore = localProvider.create(dir.toString(), Map.of());
      SpillStore volumeStore = null;
      try {
        volumeStore = store != null ? store
            : volumeProvider == null ? localStore
                : volumeProvider.create(location,
                    byNamespace.getOrDefault(volumeProvider.optionNamespace(), Map.of()));
        return new VolumeSpiller<>(this, volumeStore, localStore);
      } catch (RuntimeException e) {
        localStore.close();
        if (volumeStore != null && volumeStore != localStore) {
          volumeStore.close();
        }
        throw e;
      }
    }

    private static ClassLoader classLoader() {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return context != null ? context : VolumeSpiller.class.getClassLoader();
    }
  }
}
