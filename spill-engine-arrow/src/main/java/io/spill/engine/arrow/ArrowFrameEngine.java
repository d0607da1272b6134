package io.spill.engine.arrow;

import static java.util.Objects.requireNonNull;

import io.spill.engine.arrow.ParquetArrowReader.ParquetFiles;
import io.spill.spi.FrameEngine;
import io.spill.spi.SparkSchema;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SupportsArrowStream;
import io.spill.spi.SupportsSparkTimeType;
import io.spill.spi.TimestampNormalizer;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.spi.WriteResult;
import io.spill.spi.helpers.OptionValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow engine: Parquet files into Arrow record batches and back, in pure Java on the Parquet
 * and Arrow libraries Spark ships. Each frame has its own child allocator of the engine's root
 * allocator; {@link #close()} closes the frames still open, then the root, and reports memory a
 * caller still holds (a reader not closed) as a leak in the log.
 */
public final class ArrowFrameEngine
    implements FrameEngine<ArrowFrame>, SupportsSparkTimeType, SupportsArrowStream<ArrowFrame> {
  private volatile boolean sparkReadsTime;

  private static final Logger LOG = LoggerFactory.getLogger(ArrowFrameEngine.class);
  static final String BATCH_ROWS = "arrow.batch-rows";
  static final int DEFAULT_BATCH_ROWS = 65_536;
  static final String RETAIN_MEMORY = "arrow.retain-memory";
  static final long DEFAULT_RETAIN_MEMORY = 512L << 20;
  private final RetainingMemory memory = new RetainingMemory(DEFAULT_RETAIN_MEMORY);
  private final RootAllocator root =
      new RootAllocator(RootAllocator.configBuilder().allocationManagerFactory(memory).build());
  private final ExecutorService pool;
  private final Set<ArrowFrame> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong frames = new AtomicLong();
  private final ArrowTimestampNormalizer normalizer;
  private volatile int batchRows = DEFAULT_BATCH_ROWS;

  ArrowFrameEngine() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "spill-arrow-decode");
              t.setDaemon(true);
              return t;
            });
    normalizer =
        new ArrowTimestampNormalizer(
            parent ->
                parent.newChildAllocator(
                    "normalized-" + frames.incrementAndGet(), 0, Long.MAX_VALUE),
            (schema, allocator, batches) ->
                track(ArrowFrame.eager(schema, allocator, batches, this::forget)));
  }

  @Override
  public String name() {
    return "arrow";
  }

  @Override
  public Class<ArrowFrame> frameType() {
    return ArrowFrame.class;
  }

  @Override
  public String optionNamespace() {
    return "arrow";
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of(BATCH_ROWS, RETAIN_MEMORY);
  }

  @Override
  public void configure(Map<String, String> options) {
    String rows = options.get(BATCH_ROWS);
    if (rows != null) {
      try {
        int n = Integer.parseInt(rows.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        batchRows = n;
      } catch (NumberFormatException e) {
        throw new SpillConfigurationException(
            BATCH_ROWS + " must be a positive whole number" + " of rows, got '" + rows + "'");
      }
    }
    String retain = options.get(RETAIN_MEMORY);
    if (retain != null) {
      memory.setLimit(OptionValues.bytes(RETAIN_MEMORY, retain));
    }
  }

  /**
   * The rows a batch holds at most.
   *
   * @return the rows
   */
  public int batchRows() {
    return batchRows;
  }

  /**
   * The bytes of memory closed frames gave back that the engine keeps for the next frames, at most
   * {@code arrow.retain-memory} (512 MiB unless set); {@link #close()} frees them.
   *
   * @return the bytes
   */
  public long retainedBytes() {
    return memory.retainedBytes();
  }

  /**
   * The bytes the engine's frames and readers hold now (0 once every frame is closed).
   *
   * @return the bytes
   */
  public long allocatedBytes() {
    return root.getAllocatedMemory();
  }

  @Override
  public ArrowFrame read(List<String> files, SparkSchema sparkSchema, boolean lazy) {
    requireNonNull(files, "files is null");
    if (sparkSchema != null) {
      for (SparkSchema.Field f : sparkSchema.fields()) {
        refuseUncarriable(f.name(), f.name(), f.type());
      }
    }
    ParquetFiles parquet =
        ParquetFiles.open(
            files.stream().map(Path::of).toList(),
            sparkSchema == null ? Map.of() : sparkSchema.leafTypes());
    BufferAllocator allocator =
        root.newChildAllocator("frame-" + frames.incrementAndGet(), 0, Long.MAX_VALUE);
    try {
      if (lazy) {
        return track(ArrowFrame.lazy(parquet, allocator, batchRows, pool, this::forget));
      }
      List<VectorSchemaRoot> batches =
          ParquetArrowReader.readAll(allocator, parquet, batchRows, pool);
      return track(ArrowFrame.eager(parquet.schema(), allocator, batches, this::forget));
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /**
   * Loads Spark's Arrow batches of a Dataset into an eager frame that holds what {@link #read}
   * holds for the same Dataset spilled: the buffers move from the stream into the frame.
   */
  @Override
  public ArrowFrame readArrowStream(InputStream ipcStream, SparkSchema sparkSchema) {
    requireNonNull(ipcStream, "ipcStream is null");
    requireNonNull(sparkSchema, "sparkSchema is null");
    for (SparkSchema.Field f : sparkSchema.fields()) {
      refuseUncarriable(f.name(), f.name(), f.type());
    }
    BufferAllocator allocator =
        root.newChildAllocator("frame-" + frames.incrementAndGet(), 0, Long.MAX_VALUE);
    try {
      SparkArrowStream.Batches read =
          SparkArrowStream.read(ipcStream, sparkSchema.leafTypes(), allocator);
      return track(ArrowFrame.eager(read.schema(), allocator, read.batches(), this::forget));
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /**
   * Refuses Spark types this engine cannot carry back to Spark as they were: {@code VARIANT} (its
   * Parquet is a struct of two binaries, which would come back as that struct) and {@code VOID}
   * (which Spark writes as a boolean column of nulls), at any depth, as DuckDB's engine does.
   */
  private static void refuseUncarriable(String column, String path, SparkSchema.Type type) {
    if (type instanceof SparkSchema.Leaf leaf) {
      String hint =
          switch (leaf.sql()) {
            case "variant" ->
                "to_json(col), which arrives as a string (parse_json makes it a VARIANT again)";
            case "void" -> "the type it should have, e.g. CAST(NULL AS STRING)";
            default -> null;
          };
      if (hint != null) {
        throw new UnsupportedColumnTypeException(
            (path.equals(column)
                    ? "column '" + column + "'"
                    : "column '" + column + "' (at " + path + ")")
                + " has Spark type "
                + leaf.sql().toUpperCase(java.util.Locale.ROOT)
                + ", which the Arrow engine cannot carry back to Spark as it is; convert it in"
                + " Spark before handing the Dataset to the engine: to "
                + hint);
      }
    } else if (type instanceof SparkSchema.Struct struct) {
      struct.fields().forEach(f -> refuseUncarriable(column, path + "." + f.name(), f.type()));
    } else if (type instanceof SparkSchema.ArrayOf array) {
      refuseUncarriable(column, path + "[]", array.element());
    } else if (type instanceof SparkSchema.MapOf map) {
      refuseUncarriable(column, path + ".key", map.key());
      refuseUncarriable(column, path + ".value", map.value());
    }
  }

  private ArrowFrame track(ArrowFrame frame) {
    open.add(frame);
    return frame;
  }

  private static void refuseTime(String column, String path, Field f) {
    if (f.getType().getTypeID() == ArrowType.ArrowTypeID.Time) {
      throw new UnsupportedColumnTypeException(
          "column '"
              + column
              + "'"
              + (path.equals(column) ? "" : " (at " + path + ")")
              + " is a time of day, which this Spark session does not read"
              + " (spark.sql.timeType.enabled is off; Spark before 4.1 has no TIME); enable it,"
              + " or convert the column to microseconds since midnight (a bigint) or to text");
    }
    for (Field c : f.getChildren()) {
      String at =
          f.getType().getTypeID() == ArrowType.ArrowTypeID.List
              ? path + "[]"
              : f.getType().getTypeID() == ArrowType.ArrowTypeID.Map
                  ? path
                  : path + "." + c.getName();
      refuseTime(column, at, c);
    }
  }

  private void forget(ArrowFrame frame) {
    open.remove(frame);
  }

  /**
   * Whether the next writes keep {@code Time} columns (Spark reads them when {@code
   * spark.sql.timeType.enabled}); spill sets it before each write for Spark. Off until told.
   */
  @Override
  public void sparkReadsTime(boolean enabled) {
    sparkReadsTime = enabled;
  }

  @Override
  public WriteResult write(ArrowFrame frame, String directory, long targetFileBytes) {
    requireNonNull(frame, "frame is null");
    Schema schema = frame.schema();
    if (!sparkReadsTime) {
      schema.getFields().forEach(f -> refuseTime(f.getName(), f.getName(), f));
    }
    // first: a type Spark cannot read is refused before a reader's frame is used up
    MessageType parquet = ArrowTypes.toParquet(schema);
    // closed even when the write stops early: a reader of a lazy frame holds a batch
    try (ParquetArrowWriter.Batches batches = frame.stream()) {
      return ParquetArrowWriter.write(
          schema, parquet, batches, Path.of(directory), targetFileBytes);
    } catch (IOException e) {
      throw new SpillException("cannot write the frame to " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void release(ArrowFrame frame) {
    frame.close();
  }

  @Override
  public TimestampNormalizer<ArrowFrame> timestampNormalizer() {
    return normalizer;
  }

  /** Closes the frames still open, the decoding threads and the root allocator. */
  @Override
  public void close() {
    for (ArrowFrame f : List.copyOf(open)) {
      try {
        f.close();
      } catch (RuntimeException e) {
        LOG.warn("spill: closing an Arrow frame failed: {}", e.getMessage());
      }
    }
    pool.shutdownNow();
    try {
      root.close();
    } catch (IllegalStateException leak) {
      LOG.warn(
          "spill: Arrow memory still held when the engine closed (a reader or batch not"
              + " closed): {}",
          leak.getMessage());
    } finally {
      memory.close();
    }
  }
}
