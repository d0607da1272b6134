package io.spill.internal.spark;

import io.spill.Storage;
import io.spill.StorageUnavailableException;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.internal.ScratchSpace;
import io.spill.internal.domain.CheckpointCatalog;
import io.spill.internal.domain.CheckpointManifest;
import io.spill.internal.domain.SpillLayout;
import io.spill.internal.domain.SpillRun;
import io.spill.internal.domain.StoreTrees;
import io.spill.spi.CheckpointCommitUnknownException;
import io.spill.spi.ColumnSchema;
import io.spill.spi.FrameEngine;
import io.spill.spi.SparkSchema;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.SupportsArrowStream;
import io.spill.spi.SupportsLocalStaging;
import io.spill.spi.SupportsSessionTimeZone;
import io.spill.spi.SupportsSparkTimeType;
import io.spill.spi.TimestampPolicy;
import io.spill.spi.WriteResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moves: Spark to the engine and back through the run's namespace, and checkpoint saves and
 * loads through a {@link CheckpointCatalog}. Each move logs rows, files, bytes and seconds.
 */
public final class Transfers<F> {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeSpiller.class);

  private final SparkParquet spark;
  private final ArrowBatches arrow;
  private final FrameEngine<F> engine;
  private final TimestampPolicy timestampPolicy;
  private final SpillRun run;

  /** Where files of a {@link SupportsLocalStaging} store are staged on the driver's disk. */
  private final ScratchSpace scratch;

  public Transfers(
      SparkSession spark,
      FrameEngine<F> engine,
      TimestampPolicy timestampPolicy,
      SpillRun run,
      ScratchSpace scratch) {
    this.spark = new SparkParquet(spark);
    this.arrow = new ArrowBatches(spark);
    this.engine = engine;
    this.timestampPolicy = timestampPolicy;
    this.run = run;
    this.scratch = scratch;
  }

  /** The session's time zone, {@code spark.sql.session.timeZone}. */
  public String sessionTimeZone() {
    return spark.sessionTimeZone();
  }

  public F sparkToEngine(Dataset<Row> df, ToEngine how, SpillStore store) {
    return switch (how.path()) {
      case EAGER, LAZY -> spill(df, how, store, "");
      case ARROW -> arrowForced(df, how);
      case AUTO -> auto(df, how, store);
    };
  }

  /**
   * Arrow batches when the Dataset is known to fit, else spill; batches that pass the limit after
   * all are dropped, and the Dataset spilled.
   */
  private F auto(Dataset<Row> df, ToEngine how, SpillStore store) {
    String spillBecause = arrowRefusal(df);
    if (spillBecause != null) {
      return spill(df, how, store, "; auto: " + spillBecause);
    }
    long limit = arrowLimit(how);
    OptionalLong estimate = arrow.sizeEstimate(df);
    if (estimate.isEmpty()) {
      // A Spark Connect session, or a plan Spark cannot size: holding it could be anything.
      return spill(df, how, store, "; auto: Spark gives no size estimate for this Dataset");
    }
    if (how.autoArrowMaxEstimateBytes() == 0) {
      // 0 means always spill, even for a Dataset Spark estimates at 0 bytes.
      return spill(df, how, store, "; auto: autoArrowMaxEstimateBytes is 0, so auto always spills");
    }
    // Past the threshold (a fifth of the limit unless set) the batches would likely pass the limit
    // (they are three to five times Spark's estimate of a Parquet scan): spill without encoding
    // them first.
    long threshold = autoThreshold(how, limit);
    boolean scaled = threshold < Math.min(how.autoArrowMaxEstimateBytes(), limit);
    if (estimate.getAsLong() > threshold) {
      return spill(
          df,
          how,
          store,
          "; auto: Spark estimates "
              + bytes(estimate.getAsLong())
              + (threshold < limit
                  ? ", over auto's Arrow threshold of "
                      + bytes(threshold)
                      + (scaled ? " (scaled to spark.driver.maxResultSize)" : "")
                  : ", over the Arrow limit of " + bytes(limit)));
    }
    String because =
        "Spark estimates " + bytes(estimate.getAsLong()) + ", within " + bytes(threshold);
    long start = System.nanoTime();
    Optional<F> frame = load(df, limit, "auto: " + because, start);
    if (frame.isEmpty()) {
      LOG.info(
          "spill: the Arrow batches passed the limit of {} after {} s; spilling instead",
          bytes(limit),
          String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
      return spill(df, how, store, "; auto: the Arrow batches passed the limit of " + bytes(limit));
    }
    return frame.get();
  }

  private F arrowForced(Dataset<Row> df, ToEngine how) {
    String refusal = arrowRefusal(df);
    if (refusal != null) {
      throw new SpillException(
          "ToEngine.arrow() cannot take this Dataset: "
              + refusal
              + "; use ToEngine.eager() or lazy()");
    }
    long limit = arrowLimit(how);
    return load(df, limit, "arrow()", System.nanoTime())
        .orElseThrow(
            () ->
                new SpillException(
                    "ToEngine.arrow(): the Dataset's Arrow batches passed the limit of "
                        + bytes(limit)
                        + " (ToEngine.arrowLimitBytes, bounded by spark.driver.maxResultSize), so"
                        + " they were dropped before they could strain the driver; use"
                        + " ToEngine.auto(), eager() or lazy(), or raise the limit"));
  }

  /** Why the Arrow path cannot take this Dataset to this engine, or null if it can. */
  private String arrowRefusal(Dataset<Row> df) {
    if (!(engine instanceof SupportsArrowStream<?> reader)) {
      return "engine '" + engine.name() + "' does not take Arrow batches";
    }
    Optional<String> unavailable = reader.arrowStreamUnavailable();
    if (unavailable.isPresent()) {
      return "engine '" + engine.name() + "' cannot take Arrow batches here: " + unavailable.get();
    }
    Optional<String> column = ArrowBatches.columnWithoutArrowForm(df.schema());
    return column.map(c -> c + " has no Arrow form on spill's Arrow path").orElse(null);
  }

  /**
   * The largest estimate for which auto() takes Arrow batches, never over the limit ({@code limit},
   * the setting bounded by {@code spark.driver.maxResultSize}): as set, or else a fifth of {@code
   * limit}, so that the default threshold shrinks with the limit where maxResultSize cuts it.
   */
  private static long autoThreshold(ToEngine how, long limit) {
    return Math.min(how.arrowLimitBytes(limit).autoArrowMaxEstimateBytes(), limit);
  }

  /** The limit of a transfer, bounded by {@code spark.driver.maxResultSize}. */
  private long arrowLimit(ToEngine how) {
    OptionalLong max = arrow.maxResultSize();
    return max.isPresent()
        ? Math.min(how.arrowLimitBytes(), max.getAsLong())
        : how.arrowLimitBytes();
  }

  /**
   * The Dataset into the engine as Arrow batches, read by the engine while Spark encodes them;
   * empty if they passed {@code limit} bytes (then nothing of them is held, and the engine has no
   * frame of them). Spark's failure to compute the Dataset is thrown as Spark threw it, as on the
   * spill path.
   */
  @SuppressWarnings("unchecked")
  private Optional<F> load(Dataset<Row> df, long limit, String why, long start) {
    if (engine instanceof SupportsSessionTimeZone zoned) {
      zoned.sessionTimeZone(spark.sessionTimeZone());
    }
    SparkSchema schema = SparkSchemas.of(df.schema());
    ArrowBatches.Stream batches = arrow.open(df, limit);
    F frame = null;
    RuntimeException failed = null;
    try {
      frame = ((SupportsArrowStream<F>) engine).readArrowStream(batches.open(), schema);
    } catch (RuntimeException e) {
      failed = e;
    } finally {
      batches.close(); // Spark has stopped before its failure, if any, is looked at
    }
    if (failed != null) {
      if (batches.overflowed()) {
        return Optional.empty();
      }
      if (batches.sparkFailure().isPresent()) {
        throw ArrowBatches.rethrown(batches.sparkFailure().get());
      }
      throw failed;
    }
    logMove(
        "Spark -> " + engine.name() + " (Arrow batches; " + why + ")",
        batches.rows(),
        batches.batches(),
        "batches",
        batches.bytes(),
        start,
        phases(
            batches.partitionsHandedOver() > 0 ? "encoding in the driver's JVM" : "encoding",
            start,
            batches.sparkDoneNanos(),
            "loading after the last batch"));
    return Optional.of(frame);
  }

  private static String bytes(long n) {
    return n < (10L << 20)
        ? String.format(Locale.ROOT, "%,d bytes", n)
        : String.format(Locale.ROOT, "%,d MiB", n >> 20);
  }

  private F spill(Dataset<Row> df, ToEngine how, SpillStore store, String why) {
    requireSparkCanReach(store, "sparkToEngine");
    long start = System.nanoTime();
    StructType schema = df.schema();
    String dir = SpillLayout.frameDir(run.id(), newId());
    String packed = dir + "-optimized";
    boolean moved = false;
    try {
      spark.write(df, store, dir);
      SparkParquet.Committed written = spark.committed(store, dir, schema);
      if (how.optimizesFiles()
          && written.files().size() > 1
          && written.bytes() / written.files().size() < how.targetFileBytes() / 2) {
        int files =
            (int)
                Math.max(1, (written.bytes() + how.targetFileBytes() - 1) / how.targetFileBytes());
        spark.compact(store, dir, written.files(), schema, packed, files);
        SparkParquet.Committed compacted = spark.committed(store, packed, schema);
        LOG.info(
            "spill: optimizeFiles packed {} files into {} (target {} bytes)",
            written.files().size(),
            compacted.files().size(),
            how.targetFileBytes());
        StoreTrees.removeOwnedTree(store, dir);
        dir = packed;
        written = compacted;
      }
      long sparkDone = System.nanoTime();
      F frame = read(store, dir, written.files(), SparkSchemas.of(schema), how.isLazy());
      moved = true;
      String phases =
          phases("writing", start, sparkDone, how.isLazy() ? "opening the files" : "loading");
      if (!how.isLazy()) {
        StoreTrees.removeOwnedTree(store, dir);
      }
      logMove(
          "Spark -> " + engine.name() + " (" + (how.isLazy() ? "lazy" : "eager") + why + ")",
          written.rows(),
          written.files().size(),
          "files",
          written.bytes(),
          start,
          phases);
      return frame;
    } finally {
      if (!moved) { // nothing refers to the files: this run's own folders, removed now
        removeFailedQuietly(store, dir);
        removeFailedQuietly(store, packed);
      }
    }
  }

  public Dataset<Row> engineToSpark(F frame, boolean cleanup, SpillStore store) {
    requireSparkCanReach(store, "engineToSpark");
    long start = System.nanoTime();
    String dir = SpillLayout.frameDir(run.id(), newId());
    WriteResult written;
    try {
      written = writeFrame(frame, store, dir);
    } catch (RuntimeException e) {
      removeFailedQuietly(store, dir);
      throw e;
    }
    Dataset<Row> df = spark.read(store, dir, written.files(), null);
    if (cleanup) {
      engine.release(frame);
    }
    logMove(
        engine.name() + " -> Spark",
        written.rows(),
        written.files().size(),
        bytes(store, dir, written.files()),
        start);
    return df;
  }

  public void saveCheckpointSpark(
      Dataset<Row> df, String name, Storage storage, CheckpointCatalog catalog) {
    SpillStore store = catalog.store();
    requireSparkCanReach(store, "saveCheckpointSpark to " + storage);
    long start = System.nanoTime();
    StructType schema = df.schema();
    String dataDir = catalog.newDataDir(name);
    SparkParquet.Committed written;
    try {
      spark.write(df, store, dataDir);
      written = spark.committed(store, dataDir, schema);
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes
      abandonQuietly(catalog, name, dataDir);
      throw failedSave(name, storage, e);
    }
    List<ColumnSchema> columns =
        Arrays.stream(schema.fields())
            .map(f -> new ColumnSchema(f.name(), f.dataType().sql()))
            .toList();
    commit(
        catalog,
        storage,
        name,
        dataDir,
        "spark",
        written.files(),
        written.rows(),
        written.bytes(),
        columns,
        schema.json(),
        start);
  }

  public void saveCheckpointFrame(
      F frame, String name, Storage storage, CheckpointCatalog catalog) {
    SpillStore store = catalog.store();
    long start = System.nanoTime();
    String dataDir = catalog.newDataDir(name);
    WriteResult written;
    long bytes;
    try {
      written = writeFrame(frame, store, dataDir);
      bytes = bytes(store, dataDir, written.files());
    } catch (RuntimeException e) {
      abandonQuietly(catalog, name, dataDir);
      throw failedSave(name, storage, e);
    }
    commit(
        catalog,
        storage,
        name,
        dataDir,
        engine.name(),
        written.files(),
        written.rows(),
        bytes,
        written.columns(),
        null,
        start);
  }

  public Dataset<Row> loadCheckpointSpark(String name, Storage storage, CheckpointCatalog catalog) {
    SpillStore store = catalog.store();
    requireSparkCanReach(store, "loadCheckpointSpark from " + storage);
    CheckpointManifest m = catalog.open(name);
    StructType schema =
        m.sparkSchema() == null ? null : (StructType) DataType.fromJson(m.sparkSchema());
    return spark.read(store, SpillLayout.checkpointDir(name), m.files(), schema);
  }

  public F readCheckpointFrame(String name, boolean lazy, CheckpointCatalog catalog) {
    CheckpointManifest m = catalog.open(name);
    return read(
        catalog.store(),
        SpillLayout.checkpointDir(name),
        m.files(),
        m.sparkSchema() == null ? null : SparkSchemas.fromJson(m.sparkSchema()),
        lazy);
  }

  /**
   * The engine's read of {@code files} in {@code dir} of {@code store}, in the Spark session's time
   * zone as of now. Files of a store the engine cannot open are downloaded to a staging folder of
   * the run's scratch space first: an eager read removes that folder once the rows are loaded; a
   * lazy frame keeps it until teardown.
   */
  private F read(
      SpillStore store, String dir, List<String> files, SparkSchema sparkSchema, boolean lazy) {
    if (engine instanceof SupportsSessionTimeZone zoned) {
      zoned.sessionTimeZone(spark.sessionTimeZone());
    }
    SupportsLocalStaging staging = staging(store);
    if (staging == null) {
      return engine.read(uris(store, dir, files), sparkSchema, lazy);
    }
    Path staged = scratch.newStagingDir();
    Map<String, Path> downloads = new LinkedHashMap<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        // numbered, so that names the store allows but the local disk does not still work
        downloads.put(
            SpillLayout.join(dir, files.get(i)),
            staged.resolve(String.format(Locale.ROOT, "part-%05d.parquet", i)));
      }
      staging.download(downloads);
      F frame =
          engine.read(downloads.values().stream().map(Path::toString).toList(), sparkSchema, lazy);
      if (!lazy) {
        scratch.remove(staged);
      }
      return frame;
    } catch (RuntimeException e) {
      removeQuietly(staged);
      throw e;
    }
  }

  /**
   * Writes {@code frame} into {@code dir} of {@code store}, timestamps normalized first. For a
   * store the engine cannot write into, the engine writes into a staging folder on the driver's
   * disk, whose files are then uploaded and removed.
   */
  private WriteResult writeFrame(F frame, SpillStore store, String dir) {
    if (engine instanceof SupportsSparkTimeType timed) {
      timed.sparkReadsTime(spark.readsTime());
    }
    F portable = engine.timestampNormalizer().normalize(frame, timestampPolicy);
    try {
      SupportsLocalStaging staging = staging(store);
      if (staging == null) {
        return engine.write(portable, store.engineUri(dir), ToEngine.DEFAULT_TARGET_FILE_BYTES);
      }
      Path staged = scratch.newStagingDir();
      try {
        Path out = staged.resolve("out");
        WriteResult written =
            engine.write(portable, out.toString(), ToEngine.DEFAULT_TARGET_FILE_BYTES);
        Map<Path, String> uploads = new LinkedHashMap<>();
        for (String f : written.files()) {
          uploads.put(out.resolve(f), SpillLayout.join(dir, f));
        }
        staging.upload(uploads);
        return written;
      } finally {
        removeQuietly(staged);
      }
    } finally {
      if (portable != frame) {
        engine.release(portable);
      }
    }
  }

  /** The store's staging ability, or null if the engine reaches the store's files directly. */
  private static SupportsLocalStaging staging(SpillStore store) {
    return store instanceof SupportsLocalStaging s && s.stagesFiles() ? s : null;
  }

  private void removeQuietly(Path staged) {
    try {
      scratch.remove(staged);
    } catch (RuntimeException e) {
      LOG.warn(
          "spill: could not remove the staging folder {} now; teardown removes it: {}",
          staged,
          e.getMessage());
    }
  }

  private void commit(
      CheckpointCatalog catalog,
      Storage storage,
      String name,
      String dataDir,
      String writer,
      List<String> files,
      long rows,
      long bytes,
      List<ColumnSchema> columns,
      String sparkSchema,
      long start) {
    String dataName = dataDir.substring(dataDir.lastIndexOf('/') + 1);
    try {
      catalog.commit(
          new CheckpointManifest(
              CheckpointManifest.FORMAT_VERSION,
              name,
              writer,
              dataName,
              files.stream().map(f -> dataName + "/" + f).toList(),
              rows,
              bytes,
              columns,
              sparkSchema,
              run.id(),
              Instant.now().toString(),
              null,
              null));
    } catch (RuntimeException e) { // the catalog removed the data if the save provably failed
      throw failedSave(name, storage, e);
    }
    logMove(
        "checkpoint '" + name + "' (" + writer + " -> " + storage + ")",
        rows,
        files.size(),
        bytes,
        start);
  }

  /**
   * The error for a failed checkpoint save, whose partial files are already removed. spill's own
   * specific errors (an unsupported column type, precision loss) keep their type.
   */
  private static RuntimeException failedSave(String name, Storage storage, Exception e) {
    if (e instanceof CheckpointCommitUnknownException || e instanceof IllegalStateException) {
      return (RuntimeException) e; // the outcome is unknown, or the run is tearing down: as is
    }
    String message =
        "saving checkpoint '"
            + name
            + "' to "
            + storage
            + " failed; the previous"
            + " checkpoint of that name, if any, is unchanged: "
            + e.getMessage();
    if (e instanceof SpillException specific && e.getClass() != SpillException.class) {
      specific.addSuppressed(new SpillException(message));
      return specific;
    }
    return new SpillException(message, e);
  }

  private void requireSparkCanReach(SpillStore store, String operation) {
    if (store.sparkUri("").startsWith("file:") && !spark.runsOnDriverOnly()) {
      throw new StorageUnavailableException(
          operation
              + " needs Spark to read or write "
              + store.describe()
              + ", which is on the driver's local disk, but Spark runs on"
              + " "
              + spark.describeSpark()
              + ", which cannot see it. Use"
              + " Storage.VOLUME with a Unity Catalog volume or S3 store"
              + " (builder.volume(...) or builder.store(\"s3://...\")), or a single-node cluster");
    }
  }

  private static List<String> uris(SpillStore store, String dir, List<String> files) {
    return files.stream().map(f -> store.engineUri(SpillLayout.join(dir, f))).toList();
  }

  /** The size of files an engine wrote, from the store's listing of their directory. */
  private static long bytes(SpillStore store, String dir, List<String> files) {
    return store.list(dir).stream()
        .filter(e -> files.contains(e.name()))
        .mapToLong(e -> e.size())
        .sum();
  }

  /**
   * Removes a frame folder of this run after a transfer that failed; teardown removes whatever this
   * cannot.
   */
  private static void removeFailedQuietly(SpillStore store, String dir) {
    try {
      StoreTrees.removeOwnedTree(store, dir);
    } catch (RuntimeException e) {
      LOG.warn("spill: could not remove the partial write {}: {}", dir, e.getMessage());
    }
  }

  private static void abandonQuietly(CheckpointCatalog catalog, String name, String dataDir) {
    try {
      catalog.abandon(name, dataDir);
    } catch (RuntimeException e) {
      LOG.warn("spill: could not remove the partial write {}: {}", dataDir, e.getMessage());
    }
  }

  private static void logMove(String what, long rows, int files, long bytes, long startNanos) {
    logMove(what, rows, files, "files", bytes, startNanos, "");
  }

  /** Logs a move; {@code phases} (empty, or from {@link #phases}) says where its time went. */
  private static void logMove(
      String what, long rows, int pieces, String unit, long bytes, long startNanos, String phases) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info(
        String.format(
            Locale.ROOT,
            "spill: %s: %,d rows, %d %s, %,d bytes in %.3f s%s",
            what,
            rows,
            pieces,
            pieces != 1 ? unit : unit.equals("batches") ? "batch" : "file",
            bytes,
            seconds,
            phases));
  }

  /**
   * A Spark -> engine move's split of its time, for its log line: Spark {@code sparkDoes} until
   * {@code sparkDoneNanos}, then the engine {@code engineDoes} until now.
   */
  private String phases(String sparkDoes, long startNanos, long sparkDoneNanos, String engineDoes) {
    long now = System.nanoTime();
    return String.format(
        Locale.ROOT,
        " (Spark %.3f s %s, %s %.3f s %s)",
        (sparkDoneNanos - startNanos) / 1e9,
        sparkDoes,
        engine.name(),
        (now - sparkDoneNanos) / 1e9,
        engineDoes);
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }
}
