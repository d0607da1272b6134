package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import io.spill.spi.ColumnSchema;
import io.spill.spi.FrameEngine;
import io.spill.spi.SparkSchema;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SupportsArrowStream;
import io.spill.spi.SupportsScratchDirectory;
import io.spill.spi.SupportsSessionTimeZone;
import io.spill.spi.SupportsSparkTimeType;
import io.spill.spi.TimestampNormalizer;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.spi.WriteResult;
import io.spill.spi.helpers.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The DuckDB {@link FrameEngine}: one DuckDB database (in memory unless a file is given) reached
 * through one JDBC connection. Frames are tables (eager) or views over Parquet files (lazy) in it.
 * Create one with {@link DuckDbEngine#create()}.
 *
 * <p>Thread-safe: statements through the engine and its frames are serialized on the engine.
 */
public final class DuckDbFrameEngine
    implements FrameEngine<DuckDbFrame>,
        SupportsSessionTimeZone,
        SupportsScratchDirectory,
        SupportsSparkTimeType,
        SupportsArrowStream<DuckDbFrame> {
  /** Options this engine reads from {@code VolumeSpiller.Builder.option}. */
  public static final String MEMORY_LIMIT = "duckdb.memory-limit";

  /** Number of DuckDB threads, a positive integer. */
  public static final String THREADS = "duckdb.threads";

  /** Where DuckDB spills when a query exceeds its memory limit. */
  public static final String TEMP_DIRECTORY = "duckdb.temp-directory";

  /** Every option key the engine reads. */
  public static final Set<String> OPTION_KEYS = Set.of(MEMORY_LIMIT, THREADS, TEMP_DIRECTORY);

  private volatile boolean sparkReadsTime;

  private static final Pattern MEMORY =
      Pattern.compile(
          "\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)", Pattern.CASE_INSENSITIVE);

  private final Connection connection;
  private final AtomicLong frames = new AtomicLong();
  private final DuckDbTimestampNormalizer normalizer = new DuckDbTimestampNormalizer(this);

  private volatile boolean tempDirectoryChosen;

  /** The memory Arrow streams are read through on their way into DuckDB; made when first used. */
  private BufferAllocator arrowMemory;

  DuckDbFrameEngine(String jdbcUrl) {
    try {
      this.connection = DriverManager.getConnection(jdbcUrl);
    } catch (SQLException e) {
      throw new SpillException("cannot open DuckDB at " + jdbcUrl + ": " + e.getMessage(), e);
    }
    execute("SET memory_limit = '" + (defaultMemoryLimitBytes() >> 20) + "MiB'");
  }

  /**
   * DuckDB's memory limit unless {@value #MEMORY_LIMIT} says otherwise: half of what the JVM's
   * maximum heap leaves of the machine's (or container's) memory, at least 256 MiB. DuckDB's own
   * default, 80% of the machine, comes on top of the driver's heap and invites the operating system
   * to kill the driver; beyond the limit DuckDB spills to its temporary directory.
   *
   * @return the limit in bytes
   */
  public static long defaultMemoryLimitBytes() {
    long physical =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    long heap = Runtime.getRuntime().maxMemory();
    return Math.max(256L << 20, (physical - heap) / 2);
  }

  /**
   * Where DuckDB writes temporary files when work exceeds its memory limit: spill passes a folder
   * in the run's driver-local namespace, removed at teardown. {@value #TEMP_DIRECTORY}, if given,
   * wins.
   */
  @Override
  public void scratchDirectory(String directory) {
    requireNonNull(directory, "directory is null");
    if (!tempDirectoryChosen) {
      execute("SET temp_directory = " + Identifiers.quoteLiteral(directory));
    }
  }

  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public Class<DuckDbFrame> frameType() {
    return DuckDbFrame.class;
  }

  @Override
  public DuckDbFrame read(List<String> files, SparkSchema sparkSchema, boolean lazy) {
    if (requireNonNull(files, "files is null").isEmpty()) {
      throw new IllegalArgumentException("no files to read");
    }
    String source =
        files.stream()
            .map(Identifiers::quoteLiteral)
            .collect(Collectors.joining(", ", "read_parquet([", "])"));
    Map<String, String> sparkTypes;
    if (sparkSchema == null) {
      // Files spill did not write: what Spark would read as an instant comes from the footers.
      sparkTypes = ParquetTimestamps.instantLeaves(files, false);
    } else {
      sparkTypes = sparkSchema.leafTypes();
      if (sparkTypes.containsValue("timestamp")) {
        ParquetTimestamps.instantLeaves(files, true); // refuses INT96 values DuckDB misreads
      }
    }
    if (sparkTypes.values().stream()
        .noneMatch(t -> t.equals("timestamp") || t.startsWith("interval"))) {
      return create("SELECT * FROM " + source, lazy, List.of(), origin(files, lazy));
    }
    // Spark wrote what its session says: INT96 by default, which DuckDB reads as a local
    // TIMESTAMP holding UTC. Where Spark reads an instant, make it the instant it is.
    // ANSI intervals are plain integers in Parquet (months, or microseconds): make them
    // INTERVALs again.
    List<String> select = new ArrayList<>();
    for (Map.Entry<String, String> c : describe(source).entrySet()) {
      String col = Identifiers.quoteDouble(c.getKey());
      String expr =
          LeafRewrite.apply(
              DuckDbType.parse(c.getValue()),
              col,
              c.getKey(),
              (path, leaf, x) -> fromSpark(sparkTypes.getOrDefault(path, ""), leaf, x));
      select.add(expr.equals(col) ? col : expr + " AS " + col);
    }
    return create(
        "SELECT " + String.join(", ", select) + " FROM " + source,
        lazy,
        List.of(),
        origin(files, lazy));
  }

  @Override
  public Optional<String> arrowStreamUnavailable() {
    return ArrowStreamScan.unavailable();
  }

  /**
   * Loads Spark's Arrow batches of a Dataset into a new table: DuckDB scans the stream through
   * Arrow's C stream interface. Spark's Arrow types are the ones {@link #read} makes of its Parquet
   * files: an instant is a {@code TIMESTAMP WITH TIME ZONE}, a {@code TIMESTAMP_NTZ} a {@code
   * TIMESTAMP}, an ANSI interval an {@code INTERVAL}.
   */
  @Override
  public DuckDbFrame readArrowStream(InputStream ipcStream, SparkSchema sparkSchema) {
    requireNonNull(ipcStream, "ipcStream is null");
    requireNonNull(sparkSchema, "sparkSchema is null");
    String stream = "spill_arrow_" + frames.incrementAndGet();
    String table = Identifiers.quoteDouble("spill_frame_" + frames.incrementAndGet());
    synchronized (this) {
      try {
        ArrowStreamScan.scan(
            connection,
            stream,
            ipcStream,
            arrowMemory(),
            () -> {
              try (Statement s = connection.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE " + table + " AS SELECT * FROM " + stream);
              }
            });
      } catch (SQLException e) {
        throw failure("DuckDB cannot load the Arrow batches Spark sent", e);
      } catch (IOException e) {
        throw new SpillException("cannot read the Arrow batches Spark sent: " + e.getMessage(), e);
      }
    }
    return new DuckDbFrame(this, table, false, List.of(), null);
  }

  private synchronized BufferAllocator arrowMemory() {
    if (arrowMemory == null) {
      arrowMemory = new RootAllocator();
    }
    return arrowMemory;
  }

  /** What a leaf Spark wrote as {@code sparkType} becomes in DuckDB; null to keep it. */
  private static String fromSpark(String sparkType, DuckDbType.Leaf leaf, String x) {
    if (sparkType.equals("timestamp") && leaf.base().equals("TIMESTAMP")) {
      // The same instant as timezone('UTC', x), through the microseconds since the epoch: plain
      // arithmetic, where the time zone function asks ICU's calendar for each value (about a
      // fifth of the cost per scan, which a lazy frame pays on every query).
      return "make_timestamptz(epoch_us(" + x + "))";
    }
    if (sparkType.startsWith("interval year") || sparkType.startsWith("interval month")) {
      return "to_months(" + x + ")";
    }
    return sparkType.startsWith("interval") ? "to_microseconds(" + x + ")" : null;
  }

  /**
   * A new eager frame holding the result of a query over the engine's tables, for example tables
   * made through {@link #connection()}. One statement per query.
   *
   * @param query a query DuckDB accepts after {@code CREATE TABLE ... AS}
   * @return an eager frame
   * @throws IllegalArgumentException if the query holds more than one statement
   */
  public DuckDbFrame sql(String query) {
    return sql(query, Map.of());
  }

  /**
   * A new frame holding the result of a query in which each name in {@code frames} stands for a
   * frame (as a common table expression, so a name takes precedence over a table of the same name
   * and means the frame only where DuckDB reads a table name). Names are SQL identifiers compared
   * without case. The result is lazy if any of the frames is, else eager.
   *
   * @param query one statement
   * @param frames the frames by name
   * @return a new frame
   * @throws IllegalArgumentException for a bad or duplicate name, a frame of another engine, or
   *     more than one statement
   */
  public DuckDbFrame sql(String query, Map<String, DuckDbFrame> frames) {
    requireNonNull(query, "query is null");
    requireNonNull(frames, "frames is null");
    Map<String, String> tables = new LinkedHashMap<>();
    List<DuckDbFrame> sources = new ArrayList<>();
    boolean lazy = false;
    for (Map.Entry<String, DuckDbFrame> f : frames.entrySet()) {
      DuckDbFrame frame = requireNonNull(f.getValue(), "frame '" + f.getKey() + "' is null");
      frame.requireUsable(this);
      if (tables.put(DuckDbFrame.key(f.getKey()), frame.tableName()) != null) {
        throw new IllegalArgumentException(
            "frame name '"
                + f.getKey()
                + "' is given twice"
                + " (names are compared without case)");
      }
      sources.add(frame);
      lazy |= frame.isLazy();
    }
    return create(SqlStatement.bind(query, tables), lazy, lazy ? sources : List.of(), null);
  }

  DuckDbFrame create(String query, boolean lazy) {
    return create(query, lazy, List.of(), null);
  }

  private DuckDbFrame create(String query, boolean lazy, List<DuckDbFrame> sources, String origin) {
    String quoted = Identifiers.quoteDouble("spill_frame_" + frames.incrementAndGet());
    execute("CREATE TEMPORARY " + (lazy ? "VIEW " : "TABLE ") + quoted + " AS " + query);
    return new DuckDbFrame(this, quoted, lazy, sources, origin);
  }

  /** The Parquet files a lazy frame reads, shortly, for its errors. */
  private static String origin(List<String> files, boolean lazy) {
    if (!lazy) {
      return null; // an eager frame holds its rows: a failure to read names the files at once
    }
    return files.size() == 1
        ? "the Parquet file " + files.get(0)
        : files.size() + " Parquet files, the first " + files.get(0);
  }

  /**
   * Whether the next writes keep {@code TIME} columns (Spark reads them when {@code
   * spark.sql.timeType.enabled}); spill sets it before each write for Spark. Off until told.
   */
  @Override
  public void sparkReadsTime(boolean enabled) {
    sparkReadsTime = enabled;
  }

  @Override
  public WriteResult write(DuckDbFrame frame, String directory, long targetFileBytes) {
    requireNonNull(frame, "frame is null");
    requireNonNull(directory, "directory is null");
    frame.requireUsable(this);
    List<String> select = new ArrayList<>();
    List<ColumnSchema> columns = new ArrayList<>();
    Map<String, String> described = describe(frame.tableName());
    Map<String, DuckDbType> hugeInts = HugeInts.targets(this, frame.tableName(), described);
    for (Map.Entry<String, String> c : described.entrySet()) {
      DuckDbType type = DuckDbType.parse(c.getValue());
      DuckDbType portable =
          hugeInts.containsKey(c.getKey())
              ? hugeInts.get(c.getKey())
              : SparkPortableTypes.portable(c.getKey(), type, sparkReadsTime);
      String col = Identifiers.quoteDouble(c.getKey());
      String name = c.getKey();
      String guarded =
          LeafRewrite.apply(
              type,
              col,
              name,
              (path, leaf, x) -> {
                String infinity = SparkPortableTypes.noInfinity(path, leaf, x);
                return infinity != null
                    ? infinity
                    : SparkPortableTypes.nestedHugeIntFits(name, path, leaf, x);
              });
      select.add(
          portable.equals(type)
              ? (guarded.equals(col) ? col : guarded + " AS " + col)
              : "CAST(" + guarded + " AS " + portable.sql() + ") AS " + col);
      columns.add(new ColumnSchema(c.getKey(), portable.sql()));
    }
    createLocalParent(directory);
    String copy =
        "COPY (SELECT "
            + String.join(", ", select)
            + " FROM "
            + frame.tableName()
            + ") TO "
            + Identifiers.quoteLiteral(directory)
            + " (FORMAT parquet, COMPRESSION snappy, FILE_SIZE_BYTES "
            + targetFileBytes
            + ", RETURN_FILES true)";
    synchronized (this) {
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery(copy)) {
        r.next();
        long rows = r.getLong(1);
        Array array = r.getArray(2);
        List<String> files = new ArrayList<>();
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        for (Object f : (Object[]) array.getArray()) {
          String path = f.toString();
          files.add(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
        }
        return new WriteResult(files, rows, columns);
      } catch (SQLException e) {
        throw failure("DuckDB could not write " + frame + " as Parquet to " + directory, e);
      }
    }
  }

  private static void createLocalParent(String directory) {
    if (directory.startsWith("/")) { // a local path; object stores have no folders to make
      try {
        Files.createDirectories(Path.of(directory).getParent());
      } catch (IOException e) {
        throw new SpillException(
            "cannot create the folder for " + directory + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void release(DuckDbFrame frame) {
    requireNonNull(frame, "frame is null");
    if (frame.engine() != this) {
      throw new IllegalArgumentException(frame + " belongs to another engine");
    }
    if (frame.markReleased()) {
      execute("DROP " + (frame.isLazy() ? "VIEW" : "TABLE") + " IF EXISTS " + frame.tableName());
    }
  }

  @Override
  public TimestampNormalizer<DuckDbFrame> timestampNormalizer() {
    return normalizer;
  }

  @Override
  public String optionNamespace() {
    return "duckdb";
  }

  @Override
  public Set<String> optionKeys() {
    return OPTION_KEYS;
  }

  @Override
  public void configure(Map<String, String> options) {
    for (Map.Entry<String, String> o : options.entrySet()) {
      String v = o.getValue().trim();
      switch (o.getKey()) {
        case MEMORY_LIMIT -> {
          if (!MEMORY.matcher(v).matches()) {
            throw new SpillConfigurationException(
                MEMORY_LIMIT + " '" + v + "' is not a size; write it like 4GB, 512MiB or 50%");
          }
          execute("SET memory_limit = " + Identifiers.quoteLiteral(v));
        }
        case THREADS -> {
          int threads;
          try {
            threads = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            threads = 0;
          }
          if (threads < 1) {
            throw new SpillConfigurationException(
                THREADS + " '" + v + "' is not a positive whole number of threads");
          }
          execute("SET threads = " + threads);
        }
        case TEMP_DIRECTORY -> {
          execute("SET temp_directory = " + Identifiers.quoteLiteral(v));
          tempDirectoryChosen = true;
        }
        default ->
            throw new SpillConfigurationException(
                "unknown option '" + o.getKey() + "' for duckdb; known keys: " + optionKeys());
      }
    }
  }

  /**
   * Computes {@code TIMESTAMP WITH TIME ZONE} in {@code zoneId} (DuckDB's {@code TimeZone} setting,
   * which otherwise follows the operating system, not the JVM or Spark). spill calls this with the
   * Spark session's zone before each transfer into the engine. An offset such as {@code +05:30}
   * becomes ICU's {@code GMT+05:30}.
   */
  @Override
  public void sessionTimeZone(String zoneId) {
    requireNonNull(zoneId, "zoneId is null");
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneId).normalized();
    } catch (java.time.DateTimeException e) {
      throw new SpillConfigurationException(
          "time zone '"
              + zoneId
              + "' is not one Java knows;"
              + " use a region such as Europe/Berlin or an offset such as +05:30",
          e);
    }
    String icu =
        zone instanceof ZoneOffset offset
            ? (offset.getTotalSeconds() == 0 ? "UTC" : "GMT" + offset.getId())
            : zone.getId();
    execute("SET TimeZone = " + Identifiers.quoteLiteral(icu));
  }

  /**
   * The JDBC connection, for anything spill does not wrap. Do not close it.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  @Override
  public synchronized void close() {
    if (arrowMemory != null) {
      arrowMemory.close();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new SpillException("closing DuckDB failed: " + e.getMessage(), e);
    }
  }

  /** The columns of a table, view or table function, in order, with their DuckDB types. */
  Map<String, String> describe(String quotedTable) {
    Map<String, String> columns = new LinkedHashMap<>();
    synchronized (this) {
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + quotedTable)) {
        while (r.next()) {
          columns.put(r.getString("column_name"), r.getString("column_type"));
        }
      } catch (SQLException e) {
        throw new SpillException(
            "DuckDB cannot describe " + quotedTable + ": " + e.getMessage(), e);
      }
    }
    return columns;
  }

  /** The first row of a query, each column as text (null for NULL). */
  List<String> queryRow(String sql) {
    synchronized (this) {
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery(sql)) {
        r.next();
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.add(r.getString(i));
        }
        return row;
      } catch (SQLException e) {
        throw failure("DuckDB query failed [" + sql + "]", e);
      }
    }
  }

  long queryLong(String sql) {
    synchronized (this) {
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery(sql)) {
        r.next();
        return r.getLong(1);
      } catch (SQLException e) {
        throw failure("DuckDB query failed [" + sql + "]", e);
      }
    }
  }

  void execute(String sql) {
    synchronized (this) {
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw failure("DuckDB statement failed [" + sql + "]", e);
      }
    }
  }

  /**
   * The exception for a failed statement: a value Spark cannot hold, found by a check spill put
   * into the statement (see {@link SparkPortableTypes#refusal}), becomes an {@link
   * UnsupportedColumnTypeException} with spill's message alone; anything else a {@link
   * SpillException} with DuckDB's.
   */
  private static SpillException failure(String what, SQLException e) {
    String message = String.valueOf(e.getMessage());
    int refusal = message.indexOf(SparkPortableTypes.REFUSAL);
    if (refusal >= 0) {
      String text = message.substring(refusal + SparkPortableTypes.REFUSAL.length());
      int end = text.indexOf('\n');
      return new UnsupportedColumnTypeException(end < 0 ? text : text.substring(0, end));
    }
    return new SpillException(what + ": " + message, e);
  }
}
