package io.spill.internal.spark;

import io.spill.internal.domain.SpillLayout;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.UnsupportedColumnTypeException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.CalendarIntervalType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VarcharType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Spark's side of spilling. Spark writes Parquet as the user's session says (spill changes no
 * session setting: engines read columns as the Spark schema says), and reads back exactly the files
 * a writer committed. Spark expands globs in the paths it reads, so spill escapes the backslash,
 * {@code *}, {@code ?}, {@code [}, {@code ]} and the braces in them: a folder named {@code
 * glob[12]} is read as named. (Spark's internal option to turn globbing off is not enough: with
 * several such paths it reads each file once per path.)
 */
public final class SparkParquet {
  private static final Logger LOG = LoggerFactory.getLogger(SparkParquet.class);

  /** How long a failed write waits for its killed tasks to end. */
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

  /** Hadoop's glob metacharacters, each escaped with a backslash to stand for itself. */
  private static final Pattern GLOB_CHARS = Pattern.compile("([\\\\*?\\[\\]{}])");

  private final SparkSession spark;
  private final boolean connect;

  public SparkParquet(SparkSession spark) {
    this.spark = spark;
    this.connect = SparkSessions.isConnect(spark);
  }

  /** Writes {@code df} as Parquet into directory {@code dir} of {@code store}, a new one. */
  public void write(Dataset<Row> df, SpillStore store, String dir) {
    refuseCalendarIntervals(df.schema());
    DataFrameWriter<Row> writer = writer(df, store);
    settled(() -> writer.parquet(store.sparkUri(dir)));
  }

  /**
   * Runs a Spark write; if it fails, returns (by throwing its error) only once no task of it runs.
   * A failed job returns to its caller while its other tasks are still being killed, and such a
   * task can still create its output path (and so the folder the caller is about to remove) or
   * commit its file. On a classic session the write's jobs carry a job tag, and a failure waits (at
   * most {@link #SETTLE_TIMEOUT}) until Spark's status tracker shows each job ended and none of
   * their stages running a task. A Spark Connect client cannot see the server's tasks: a late
   * task's files there stay until teardown, which removes the run's unnamed data folders.
   */
  private void settled(Runnable write) {
    if (connect) {
      write.run();
      return;
    }
    SparkContext context = spark.sparkContext();
    String tag = "spill-write-" + UUID.randomUUID();
    context.addJobTag(tag);
    boolean written = false;
    try {
      write.run();
      written = true;
    } finally {
      context.removeJobTag(tag);
      if (!written) {
        awaitTasks(context, tag);
      }
    }
  }

  private static void awaitTasks(SparkContext context, String tag) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    try {
      // The tracker hears of jobs through Spark's listener bus; once the events posted so far are
      // delivered, it knows every job the write started (a job in it then ends, or shows its
      // tasks). The bus is internal to Spark, but public in its bytecode from 3.5 to 4.2.
      context.listenerBus().waitUntilEmpty(SETTLE_TIMEOUT.toMillis());
    } catch (TimeoutException | LinkageError e) {
      LOG.warn(
          "spill: could not tell whether tasks of a failed Spark write still run ({}); files they"
              + " write later are removed at teardown",
          e.toString());
      return;
    }
    SparkStatusTracker tracker = context.statusTracker();
    int running;
    while ((running = runningTasks(tracker, tag)) > 0) {
      if (System.nanoTime() > deadline) {
        LOG.warn(
            "spill: {} task(s) of a failed Spark write still run after {} s; files they write"
                + " after this are removed at teardown",
            running,
            SETTLE_TIMEOUT.toSeconds());
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The tasks of the jobs tagged {@code tag} still running, or 1 while a job is not yet known to
   * have ended (the tracker learns of tasks from the same ordered event stream as of job ends).
   */
  private static int runningTasks(SparkStatusTracker tracker, String tag) {
    int running = 0;
    for (int job : tracker.getJobIdsForTag(tag)) {
      Option<SparkJobInfo> info = tracker.getJobInfo(job);
      if (info.isEmpty() || info.get().status() == JobExecutionStatus.RUNNING) {
        return running + 1; // at least one, as far as anyone can tell
      }
      for (int stage : info.get().stageIds()) {
        Option<SparkStageInfo> s = tracker.getStageInfo(stage);
        running += s.isDefined() ? s.get().numActiveTasks() : 0;
      }
    }
    return running;
  }

  /**
   * Refuses Spark's legacy {@code INTERVAL} (CalendarIntervalType, from {@code make_interval} or
   * date arithmetic), which no Parquet writer can store, before any file is written.
   */
  private static void refuseCalendarIntervals(StructType schema) {
    for (StructField f : schema.fields()) {
      if (SparkTypes.anyLeaf(f.dataType(), t -> t instanceof CalendarIntervalType)) {
        throw new UnsupportedColumnTypeException(
            "column '"
                + f.name()
                + "' holds Spark's legacy"
                + " INTERVAL type ("
                + f.dataType().sql()
                + "), which Parquet cannot store; use an"
                + " ANSI interval (make_dt_interval, make_ym_interval, or CAST(col AS INTERVAL DAY TO"
                + " SECOND)) or CAST(col AS STRING) before spilling");
      }
    }
  }

  /**
   * Rewrites the committed Parquet files {@code sources} of directory {@code dir} into directory
   * {@code target} of the same store as about {@code files} files. The source is spilled files
   * already on disk, so fewer read tasks cost the computation that produced them nothing.
   */
  public void compact(
      SpillStore store,
      String dir,
      List<String> sources,
      StructType schema,
      String target,
      int files) {
    String[] paths =
        literal(sources.stream().map(f -> store.sparkUri(SpillLayout.join(dir, f))).toList());
    DataFrameWriter<Row> writer =
        writer(reader(schema, store).parquet(paths).coalesce(files), store);
    settled(() -> writer.parquet(store.sparkUri(target)));
  }

  /**
   * The files Spark committed in directory {@code dir} of {@code store}: the data files Spark's own
   * listing reports (so its commit protocol decides, as it does for any reader), with their sizes
   * from the store and their rows from the Parquet footers, read on the driver without a Spark job.
   */
  public Committed committed(SpillStore store, String dir, StructType schema) {
    Map<String, Long> sizes =
        store.list(dir).stream()
            .filter(e -> !e.directory())
            .collect(Collectors.toMap(StoreEntry::name, StoreEntry::size));
    List<String> names = new ArrayList<>();
    for (String file :
        reader(schema, store).parquet(literal(List.of(store.sparkUri(dir)))).inputFiles()) {
      String path = URI.create(file).getPath(); // Spark lists percent-encoded URIs
      names.add(path.substring(path.lastIndexOf('/') + 1));
    }
    names.sort(null);
    long bytes = 0;
    for (String name : names) {
      Long size = sizes.get(name);
      if (size == null) {
        throw new SpillException(
            "Spark lists "
                + name
                + " in "
                + store.describe()
                + "/"
                + dir
                + ", but the store does not; is the store's root the folder Spark writes to?");
      }
      bytes += size;
    }
    // Footers in parallel: an object store or a FUSE mount pays a round trip per file.
    long rows =
        names.parallelStream()
            .mapToLong(
                name ->
                    footer(store, SpillLayout.join(dir, name), sizes.get(name)).getBlocks().stream()
                        .mapToLong(BlockMetaData::getRowCount)
                        .sum())
            .sum();
    return new Committed(List.copyOf(names), rows, bytes);
  }

  /** The files, rows and bytes of one committed Spark write. */
  public record Committed(List<String> files, long rows, long bytes) {}

  /**
   * Reads exactly {@code files} of directory {@code dir} of {@code store}. With a schema (a
   * Spark-written checkpoint) the types come back as saved; without one, Parquet's logical types
   * decide: a UTC-adjusted timestamp is a {@code TIMESTAMP}, a local one a {@code TIMESTAMP_NTZ},
   * also where the session turned Spark's own inference of the latter off.
   */
  public Dataset<Row> read(SpillStore store, String dir, List<String> files, StructType schema) {
    String[] paths =
        literal(files.stream().map(f -> store.sparkUri(SpillLayout.join(dir, f))).toList());
    Dataset<Row> df = reader(schema, store).parquet(paths);
    if (schema != null || files.isEmpty() || inferTimestampNtz()) {
      return df;
    }
    String first = SpillLayout.join(dir, files.get(0));
    String parent = first.substring(0, first.lastIndexOf('/'));
    String name = first.substring(first.lastIndexOf('/') + 1);
    long size =
        store.list(parent).stream()
            .filter(e -> e.name().equals(name))
            .mapToLong(StoreEntry::size)
            .findFirst()
            .orElseThrow(() -> new SpillException("no file " + first + " in " + store.describe()));
    MessageType parquet = footer(store, first, size).getFileMetaData().getSchema();
    StructType fixed = LocalTimestamps.restore(df.schema(), parquet);
    return fixed.equals(df.schema()) ? df : reader(fixed, store).parquet(paths);
  }

  private boolean inferTimestampNtz() {
    return !"false"
        .equalsIgnoreCase(spark.conf().get("spark.sql.parquet.inferTimestampNTZ.enabled", "true"));
  }

  /** A Parquet footer, read through the store (no Hadoop configuration, no SparkContext). */
  private static ParquetMetadata footer(SpillStore store, String path, long size) {
    StoreInputFile file = new StoreInputFile(store, path, size);
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      return reader.getFooter();
    } catch (IOException | RuntimeException e) {
      throw new SpillException(
          "cannot read the Parquet footer of " + file + ": " + e.getMessage(), e);
    }
  }

  /** Paths for Spark's reader, each standing for itself however it is named. */
  public static String[] literal(List<String> paths) {
    return paths.stream()
        .map(p -> GLOB_CHARS.matcher(p).replaceAll("\\\\$1"))
        .toArray(String[]::new);
  }

  /**
   * A Parquet writer of {@code df} into a folder of {@code store} that must not exist, with the
   * store's Hadoop settings as options of this write only.
   */
  private static DataFrameWriter<Row> writer(Dataset<Row> df, SpillStore store) {
    return df.write().mode("errorifexists").options(store.sparkOptions());
  }

  /** A Parquet reader of files in {@code store}, with the store's Hadoop settings. */
  private DataFrameReader reader(StructType schema, SpillStore store) {
    DataFrameReader r =
        spark
            .read()
            .options(store.sparkOptions())
            .option("datetimeRebaseMode", "CORRECTED")
            .option("int96RebaseMode", "CORRECTED")
            .option("mergeSchema", "false");
    return schema == null ? r : r.schema(charVarcharAsString(schema));
  }

  /**
   * {@code schema} with CHAR(n) and VARCHAR(n) as STRING, at any depth. A session that keeps them
   * ({@code spark.sql.preserveCharVarcharTypeInfo}) gives Datasets such types, but Spark refuses
   * them in a reader's schema, and Parquet stores both as plain strings.
   */
  public static StructType charVarcharAsString(StructType schema) {
    return (StructType)
        SparkTypes.mapLeaves(
            schema,
            t -> t instanceof CharType || t instanceof VarcharType ? DataTypes.StringType : t);
  }

  /** The session's time zone, {@code spark.sql.session.timeZone}. */
  public String sessionTimeZone() {
    return spark.conf().get("spark.sql.session.timeZone");
  }

  /** Whether the session reads Parquet {@code TIME} columns (Spark 4.1+, off by default). */
  public boolean readsTime() {
    return Boolean.parseBoolean(spark.conf().get("spark.sql.timeType.enabled", "false"));
  }

  /**
   * Whether Spark can read and write this machine's disk: on a classic session, when it runs on the
   * driver alone (a local master); on a Spark Connect session, when the server also runs with a
   * local master and on this machine (its driver host is one of this machine's addresses).
   */
  public boolean runsOnDriverOnly() {
    if (!connect) {
      return spark.sparkContext().isLocal();
    }
    return SparkSessions.connectServerSharesThisDisk(master(), driverHost());
  }

  /** Where Spark runs, for messages. */
  public String describeSpark() {
    return connect
        ? "a Spark Connect server on " + driverHost() + " (master '" + master() + "')"
        : "executors (master '" + master() + "')";
  }

  private String master() {
    return connect ? spark.conf().get("spark.master", "unknown") : spark.sparkContext().master();
  }

  private String driverHost() {
    return spark.conf().get("spark.driver.host", "an unknown host");
  }
}
