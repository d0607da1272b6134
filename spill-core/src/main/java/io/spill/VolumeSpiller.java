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
 * storage, and keeps checkpoints. The package overview says how long results stay valid, how
 * threads and teardown meet, and where spill keeps what. Methods without a {@link Storage} work on
 * {@link Storage#VOLUME}; names are 1 to 128 characters of {@code A-Z a-z 0-9 _ - .}.
 *
 * @param <F> the engine's frame type, such as {@code DuckDbFrame}
 */
public final class VolumeSpiller<F> implements AutoCloseable {
  private final SpillerRuntime<F> run;

  VolumeSpiller(SpillerRuntime<F> run) {
    this.run = run;
  }

  /**
   * {@return a new builder of a spiller on {@code spark}; {@code engine(...)} chooses the engine}
   *
   * @param spark the session, classic or Spark Connect
   */
  public static VolumeSpillerBuilder<Object> builder(SparkSession spark) {
    return new VolumeSpillerBuilder<>(requireNonNull(spark, "spark is null"));
  }

  /**
   * {@return a new builder of a spiller on {@code spark} with {@code engine}, typed by its frames}
   *
   * @param <F> the engine's frame type
   * @param spark the session, classic or Spark Connect
   * @param engine the engine, which the spiller owns from then on
   */
  public static <F> VolumeSpillerBuilder<F> builder(SparkSession spark, FrameEngine<F> engine) {
    return builder(spark).engine(engine);
  }

  /** {@return this run's id, also the name of its namespace {@code _spill/runs/<run-id>}} */
  public String runId() {
    return run.runId();
  }

  /** {@return the mode teardown follows} */
  public Mode mode() {
    return run.mode();
  }

  /** {@return the engine this spiller owns} */
  public FrameEngine<F> engine() {
    return run.engine();
  }

  /**
   * The engine as its concrete type, for what only it offers: {@code
   * spill.engine(DuckDbFrameEngine.class).sql(query, frames)}.
   *
   * @param <E> the engine's class
   * @param type the engine's class
   * @return the engine
   * @throws IllegalArgumentException if the engine is not a {@code type}
   */
  public <E extends FrameEngine<F>> E engine(Class<E> type) {
    return run.engine(requireNonNull(type, "type is null"));
  }

  /**
   * {@return the store behind a storage} Without a configured store, both are the local one.
   *
   * @param storage which store
   * @throws SpillConfigurationException for {@link Storage#LOCAL} without spill-storage-local
   */
  public SpillStore store(Storage storage) {
    return run.store(storage);
  }

  /**
   * {@return a new frame: {@code df} loaded into the engine the fastest way ({@link
   * ToEngine#auto()}): as Arrow batches when it is small enough to hold on the driver, else spilled
   * to the volume store}
   *
   * @param df the Dataset
   */
  public F sparkToEngine(Dataset<Row> df) {
    return sparkToEngine(df, ToEngine.auto());
  }

  /**
   * Hands {@code df} to the engine as {@code how} says. Spilled ({@link ToEngine#eager()}, {@link
   * ToEngine#lazy()}), Spark writes Parquet to the volume store and the engine reads the committed
   * files: eager, it loads the rows and the files go; lazy, it scans the files, kept until
   * teardown. As Arrow batches ({@link ToEngine#arrow()}), Spark's executors encode the rows, the
   * driver holds them up to a limit, and the engine loads them; {@link ToEngine#auto()} picks.
   *
   * @param df the Dataset
   * @param how the path (auto, eager, lazy, arrow), and whether to pack spilled files first
   * @return a new frame
   */
  public F sparkToEngine(Dataset<Row> df, ToEngine how) {
    return run.sparkToEngine(requireNonNull(df, "df is null"), requireNonNull(how, "how is null"));
  }

  /**
   * {@return a Dataset over {@code frame} written to the volume store; the frame stays}
   *
   * @param frame a frame of this spiller's engine
   */
  public Dataset<Row> engineToSpark(F frame) {
    return engineToSpark(frame, false);
  }

  /**
   * Writes {@code frame} as Parquet to the volume store (timestamps in microseconds under the
   * {@link TimestampPolicy}) and returns a Dataset of exactly those files, valid until teardown.
   *
   * @param frame a frame of this spiller's engine
   * @param cleanup whether to release the frame in the engine afterwards
   * @return a Dataset reading what was written
   */
  public Dataset<Row> engineToSpark(F frame, boolean cleanup) {
    return run.engineToSpark(requireNonNull(frame, "frame is null"), cleanup);
  }

  /**
   * Saves a Spark Dataset as checkpoint {@code name} in the volume store.
   *
   * @param df the Dataset
   * @param name the checkpoint's name
   */
  public void saveCheckpointSpark(Dataset<Row> df, String name) {
    saveCheckpointSpark(df, name, Storage.VOLUME);
  }

  /**
   * Saves a Spark Dataset as checkpoint {@code name} in one atomic step: until it commits, readers
   * see the previous version; if it fails (or the process dies), that stays and nothing is listed.
   *
   * @param df the Dataset
   * @param name the checkpoint's name
   * @param storage where to save it
   * @throws StorageUnavailableException for {@link Storage#LOCAL} when Spark runs on executors
   */
  public void saveCheckpointSpark(Dataset<Row> df, String name, Storage storage) {
    run.saveCheckpointSpark(requireNonNull(df, "df is null"), name, storage);
  }

  /**
   * Saves an engine frame as checkpoint {@code name} in the volume store.
   *
   * @param frame a frame of this spiller's engine
   * @param name the checkpoint's name
   */
  public void saveCheckpointFrame(F frame, String name) {
    saveCheckpointFrame(frame, name, Storage.VOLUME);
  }

  /**
   * Saves an engine frame (eager or lazy: a lazy frame streams to the files without being loaded)
   * as checkpoint {@code name}, replacing any checkpoint of that name atomically.
   *
   * @param frame a frame of this spiller's engine
   * @param name the checkpoint's name
   * @param storage where to save it
   */
  public void saveCheckpointFrame(F frame, String name, Storage storage) {
    run.saveCheckpointFrame(requireNonNull(frame, "frame is null"), name, storage);
  }

  /**
   * {@return checkpoint {@code name} of the volume store as a Spark Dataset}
   *
   * @param name the checkpoint's name
   */
  public Dataset<Row> loadCheckpointSpark(String name) {
    return loadCheckpointSpark(name, Storage.VOLUME);
  }

  /**
   * Loads checkpoint {@code name} as a Spark Dataset of exactly the committed files, valid until
   * teardown even if another run overwrites or deletes the checkpoint meanwhile.
   *
   * @param name the checkpoint's name
   * @param storage where it is
   * @return a Dataset reading exactly the committed files
   */
  public Dataset<Row> loadCheckpointSpark(String name, Storage storage) {
    return run.loadCheckpointSpark(name, storage);
  }

  /**
   * {@return a new frame: checkpoint {@code name} of the volume store, loaded}
   *
   * @param name the checkpoint's name
   */
  public F loadCheckpointFrame(String name) {
    return loadCheckpointFrame(name, Storage.VOLUME);
  }

  /**
   * {@return a new frame: checkpoint {@code name}, loaded into the engine}
   *
   * @param name the checkpoint's name
   * @param storage where it is
   */
  public F loadCheckpointFrame(String name, Storage storage) {
    return run.readCheckpointFrame(name, storage, false);
  }

  /**
   * {@return a lazy frame scanning checkpoint {@code name} of the volume store}
   *
   * @param name the checkpoint's name
   */
  public F scanCheckpointFrame(String name) {
    return scanCheckpointFrame(name, Storage.VOLUME);
  }

  /**
   * {@return a lazy frame scanning checkpoint {@code name}, valid until teardown}
   *
   * @param name the checkpoint's name
   * @param storage where it is
   */
  public F scanCheckpointFrame(String name, Storage storage) {
    return run.readCheckpointFrame(name, storage, true);
  }

  /** {@return the committed checkpoints in the volume store, sorted by name} */
  public List<String> listCheckpoints() {
    return listCheckpoints(Storage.VOLUME);
  }

  /**
   * {@return the committed checkpoints in a storage, sorted by name}: only those with a manifest,
   * never spill's working folders, the leftovers of a failed save, or anything else there.
   *
   * @param storage which store
   */
  public List<String> listCheckpoints(Storage storage) {
    return run.listCheckpoints(storage);
  }

  /**
   * {@return whether checkpoint {@code name} existed in the volume store; deletes it}
   *
   * @param name the checkpoint's name
   */
  public boolean deleteCheckpoint(String name) {
    return deleteCheckpoint(name, Storage.VOLUME);
  }

  /**
   * Deletes checkpoint {@code name}: its manifest, then the data it names (kept while other live
   * runs have it loaded). A folder of that name without a manifest is not a checkpoint.
   *
   * @param name the checkpoint's name
   * @param storage where it is
   * @return whether a checkpoint of that name existed
   */
  public boolean deleteCheckpoint(String name, Storage storage) {
    return run.deleteCheckpoint(name, storage);
  }

  /**
   * Removes what ended runs left behind in both stores and the driver's scratch folder: runs whose
   * lease expired before {@code olderThan}, checkpoint data nothing names whose writer ended,
   * temporary files of killed writes. Never what a live run uses or a file spill did not write.
   *
   * @param olderThan at least 5 minutes, the lease a live run renews every minute
   * @return what was removed, and what was skipped (an unreadable manifest or lease) and why
   * @throws SpillConfigurationException for a cutoff under 5 minutes
   */
  public PurgeReport purgeStaleRuns(Duration olderThan) {
    return run.purgeStaleRuns(olderThan);
  }

  /**
   * Ends the run after the calls in flight, as its {@link Mode} says, and closes the engine and the
   * stores. Idempotent; a second caller waits for the first to finish.
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
