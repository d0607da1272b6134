package io.spill;

import static java.util.Objects.requireNonNull;

import io.spill.internal.SpillerRuntime;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.TimestampPolicy;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
 * <p>Every checkpoint method without a {@link Storage} works on {@link Storage#VOLUME}. Names are
 * validated (1 to 128 characters of {@code A-Z a-z 0-9 _ - .}) before any I/O.
 *
 * @param <F> the engine's frame type, such as {@code DuckDbFrame}
 */
public final class VolumeSpiller<F> implements AutoCloseable {
  private final SpillerRuntime<F> run;

  VolumeSpiller(SpillerRuntime<F> run) {
    this.run = run;
  }

  /** Starts a builder for a spiller on {@code spark}; choose an engine with {@code engine(...)}. */
  public static VolumeSpillerBuilder<Object> builder(SparkSession spark) {
    return new VolumeSpillerBuilder<>(requireNonNull(spark, "spark is null"));
  }

  /** Starts a builder for a spiller on {@code spark} with {@code engine}, typed by its frames. */
  public static <F> VolumeSpillerBuilder<F> builder(SparkSession spark, FrameEngine<F> engine) {
    return builder(spark).engine(engine);
  }

  /** This run's id, also the name of its namespace {@code _spill/runs/<run-id>}. */
  public String runId() {
    return run.runId();
  }

  /** The mode teardown follows. */
  public Mode mode() {
    return run.mode();
  }

  /** The engine this spiller owns. */
  public FrameEngine<F> engine() {
    return run.engine();
  }

  /**
   * The engine as its concrete type, for what only it offers:
   * {@code spill.engine(DuckDbFrameEngine.class).sql(query, frames)}.
   *
   * @throws IllegalArgumentException if the engine is not a {@code type}
   */
  public <E extends FrameEngine<F>> E engine(Class<E> type) {
    FrameEngine<F> engine = run.engine();
    if (!requireNonNull(type, "type is null").isInstance(engine)) {
      throw new IllegalArgumentException("this spiller's engine is a "
          + engine.getClass().getName() + ", not a " + type.getName());
    }
    return type.cast(engine);
  }

  /**
   * The store behind a storage. Without a configured store, both are the driver-local one.
   *
   * @throws SpillConfigurationException for {@link Storage#LOCAL} without spill-storage-local
   */
  public SpillStore store(Storage storage) {
    return run.store(storage);
  }

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
    return run.sparkToEngine(requireNonNull(df, "df is null"), requireNonNull(how, "how is null"));
  }

  /** Writes {@code frame} to the volume store and returns a Dataset over it; keeps the frame. */
  public Dataset<Row> engineToSpark(F frame) {
    return engineToSpark(frame, false);
  }

  /**
   * Writes {@code frame} as Parquet to the volume store (timestamps normalized to microseconds
   * under the spiller's {@link TimestampPolicy}) and returns a Dataset reading exactly those
   * files, valid until teardown.
   *
   * @param cleanup whether to release the frame in the engine afterwards
   */
  public Dataset<Row> engineToSpark(F frame, boolean cleanup) {
    return run.engineToSpark(requireNonNull(frame, "frame is null"), cleanup);
  }

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
    run.saveCheckpointSpark(requireNonNull(df, "df is null"), name, storage);
  }

  /** Saves an engine frame as checkpoint {@code name} in the volume store. */
  public void saveCheckpointFrame(F frame, String name) {
    saveCheckpointFrame(frame, name, Storage.VOLUME);
  }

  /**
   * Saves an engine frame (eager or lazy: a lazy frame streams to the files without being
   * loaded) as checkpoint {@code name}, replacing any checkpoint of that name atomically.
   */
  public void saveCheckpointFrame(F frame, String name, Storage storage) {
    run.saveCheckpointFrame(requireNonNull(frame, "frame is null"), name, storage);
  }

  /** Loads checkpoint {@code name} from the volume store as a Spark Dataset. */
  public Dataset<Row> loadCheckpointSpark(String name) {
    return loadCheckpointSpark(name, Storage.VOLUME);
  }

  /**
   * Loads checkpoint {@code name} as a Spark Dataset reading exactly the committed files, with
   * the schema Spark saved (or the types an engine's files carry). Valid until teardown, even if
   * another run overwrites or deletes the checkpoint meanwhile.
   */
  public Dataset<Row> loadCheckpointSpark(String name, Storage storage) {
    return run.loadCheckpointSpark(name, storage);
  }

  /** Loads checkpoint {@code name} from the volume store into the engine (eagerly). */
  public F loadCheckpointFrame(String name) {
    return loadCheckpointFrame(name, Storage.VOLUME);
  }

  /** Loads checkpoint {@code name} into the engine (eagerly). */
  public F loadCheckpointFrame(String name, Storage storage) {
    return run.readCheckpointFrame(name, storage, false);
  }

  /** A lazy frame scanning checkpoint {@code name} in the volume store. */
  public F scanCheckpointFrame(String name) {
    return scanCheckpointFrame(name, Storage.VOLUME);
  }

  /** A lazy frame scanning checkpoint {@code name}, valid until teardown. */
  public F scanCheckpointFrame(String name, Storage storage) {
    return run.readCheckpointFrame(name, storage, true);
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
    return run.listCheckpoints(storage);
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
    return run.deleteCheckpoint(name, storage);
  }

  /**
   * Removes what ended runs left behind in both stores and the driver's scratch folder: run
   * namespaces whose lease expired and was last renewed more than {@code olderThan} ago,
   * checkpoint data no manifest names whose writer's lease is gone, and temporary files of killed
   * writes. Never a live run's files, never data a manifest names or a live run has loaded, never
   * a file spill did not write. An unreadable manifest or lease is reported in
   * {@link PurgeReport#problems()} and skipped.
   *
   * @param olderThan at least 5 minutes, the lease a live run renews every minute
   * @throws SpillConfigurationException for a cutoff under 5 minutes
   */
  public PurgeReport purgeStaleRuns(Duration olderThan) {
    return run.purgeStaleRuns(olderThan);
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
    run.teardown();
  }

  /** The same as {@link #teardown()}. */
  @Override
  public void close() {
    teardown();
  }
}
