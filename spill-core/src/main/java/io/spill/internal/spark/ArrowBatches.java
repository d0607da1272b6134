package io.spill.internal.spark;

import io.spill.spi.SpillException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.YearMonthIntervalType;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * A Dataset as Arrow record batches on the driver, encoded by Spark: on a classic session by the
 * executors, in parallel, through the classic {@code Dataset}'s {@code toArrowBatchRdd} (the one
 * PySpark's {@code toPandas} uses; internal to Spark, but public in its bytecode from 3.5 to 4.2);
 * on a Spark Connect session from the Arrow batches the server sends the client for any collect.
 *
 * <p>The batches reach the engine as one stream that it reads while Spark still encodes them; the
 * driver holds each batch from its arrival until the engine has read it. They are bounded by a
 * limit on their bytes in all: past it, Spark stops (its job is cancelled, or the Connect stream
 * closed), what was held is dropped, and the stream fails and says so ({@link Stream#overflowed}),
 * so that the caller spills instead. The only class of spill-core that uses Arrow, for Spark's own
 * Arrow schema and its IPC framing (Spark ships Arrow).
 *
 * <p>Where Spark's executors run in the driver's JVM (a local master: a Databricks single-node
 * cluster, a laptop), they hand each partition's batches to the stream directly, and stop encoding
 * as soon as the batches pass the limit. Elsewhere each partition's batches are a task result,
 * which Spark serializes, keeps in the executor's block manager and fetches to the driver: the same
 * copies in local mode cost about 0.2 s of 0.5 s at 1M rows of 10 columns on 2 cores.
 */
public final class ArrowBatches {
  private static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

  /**
   * The classic streams whose Spark job runs now, by the job's tag: an executor that finds its
   * job's stream here runs in the driver's JVM and hands its batches over directly. Executors in
   * other JVMs find nothing (their copy of this class has no streams) and return them.
   */
  private static final ConcurrentMap<String, ClassicStream> IN_THIS_JVM = new ConcurrentHashMap<>();

  private final SparkSession spark;
  private final boolean connect;

  public ArrowBatches(SparkSession spark) {
    this.spark = spark;
    this.connect = SparkSessions.isConnect(spark);
  }

  /**
   * A Dataset's Arrow batches as one Arrow IPC stream (schema, batches in the Dataset's order, end
   * marker) that an engine reads while Spark still sends them: each batch is let go once the stream
   * has given it, so the driver holds what the engine has not read yet, not the whole Dataset.
   *
   * <p>If the batches pass the limit, or Spark fails to compute the Dataset, the stream fails (with
   * an {@link IOException}) and {@link #overflowed} or {@link #sparkFailure} says which. Closing
   * stops Spark's work if it is still running, and returns once it has stopped.
   */
  public abstract static class Stream implements AutoCloseable {
    private final InputStream in = new PieceStream();
    private long rows;
    private int batches;
    private long bytes;
    private volatile long sparkDoneNanos;
    private boolean started;
    private boolean finished;

    /** {@return the IPC stream; read it once} */
    public InputStream open() {
      return in;
    }

    /** {@return the rows of the batches the stream has given} */
    public long rows() {
      return rows;
    }

    /** {@return the batches the stream has given} */
    public int batches() {
      return batches;
    }

    /** {@return the bytes the stream has given} */
    public long bytes() {
      return bytes;
    }

    /** {@return when Spark had sent its last batch (System.nanoTime), or 0 if it has not} */
    public long sparkDoneNanos() {
      return sparkDoneNanos;
    }

    /**
     * {@return how many partitions' batches Spark's executors handed over in the driver's JVM, not
     * as task results}
     */
    public int partitionsHandedOver() {
      return 0;
    }

    /** Notes that Spark has sent its last batch. */
    void sparkDone() {
      sparkDoneNanos = System.nanoTime();
    }

    /** {@return true if the batches passed the limit: nothing of them is held any more} */
    public abstract boolean overflowed();

    /** {@return Spark's failure to compute the Dataset, if it failed} */
    public abstract Optional<Throwable> sparkFailure();

    /** Stops Spark's work for the stream if it still runs; returns when it has stopped. */
    @Override
    public abstract void close();

    /** The next batch in the Dataset's order, or null at the end (then Spark is done). */
    abstract byte[] nextBatch() throws IOException;

    /** The schema message, the first piece of the stream. */
    abstract byte[] schema() throws IOException;

    private byte[] nextPiece() throws IOException {
      if (!started) {
        started = true;
        return counted(schema());
      }
      if (finished) {
        return null;
      }
      byte[] batch = nextBatch();
      if (batch == null) {
        finished = true;
        return counted(END_OF_STREAM);
      }
      rows += batchRows(batch);
      batches++;
      return counted(batch);
    }

    private byte[] counted(byte[] piece) {
      bytes += piece.length;
      return piece;
    }

    /** The pieces, one after another, each let go once read. */
    private final class PieceStream extends InputStream {
      private byte[] piece = new byte[0];
      private int at;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] into, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) {
          return 0;
        }
        while (piece != null && at == piece.length) {
          piece = nextPiece();
          at = 0;
        }
        if (piece == null) {
          return -1;
        }
        int n = Math.min(length, piece.length - at);
        System.arraycopy(piece, at, into, offset, n);
        at += n;
        return n;
      }
    }
  }

  /**
   * The column that has no Arrow form on spill's Arrow path, as "column 'x' (type)", or empty if
   * every column has one. The Arrow path carries the types both engines read from Spark's Parquet
   * files: Spark's atomic types, its ANSI intervals, and structs, arrays and maps of them; any
   * other (Spark's legacy {@code INTERVAL}, {@code TIME}, {@code VARIANT}, {@code VOID}, a
   * user-defined type) goes the spill path, which carries or refuses it as it always does.
   */
  public static Optional<String> columnWithoutArrowForm(StructType schema) {
    for (StructField f : schema.fields()) {
      DataType bad = firstWithoutArrowForm(f.dataType());
      if (bad != null) {
        return Optional.of("column '" + f.name() + "' (" + bad.sql() + ")");
      }
    }
    return Optional.empty();
  }

  private static DataType firstWithoutArrowForm(DataType t) {
    if (t instanceof StructType s) {
      for (StructField f : s.fields()) {
        DataType bad = firstWithoutArrowForm(f.dataType());
        if (bad != null) {
          return bad;
        }
      }
      return null;
    }
    if (t instanceof ArrayType a) {
      return firstWithoutArrowForm(a.elementType());
    }
    if (t instanceof MapType m) {
      DataType bad = firstWithoutArrowForm(m.keyType());
      return bad != null ? bad : firstWithoutArrowForm(m.valueType());
    }
    boolean carried =
        t instanceof BooleanType
            || t instanceof ByteType
            || t instanceof ShortType
            || t instanceof IntegerType
            || t instanceof LongType
            || t instanceof FloatType
            || t instanceof DoubleType
            || t instanceof DecimalType
            || t instanceof StringType
            || t instanceof BinaryType
            || t instanceof DateType
            || t instanceof TimestampType
            || t instanceof TimestampNTZType
            || t instanceof YearMonthIntervalType
            || t instanceof DayTimeIntervalType;
    return carried ? null : t;
  }

  /**
   * Spark's estimate of the Dataset's size in bytes, from its optimized plan's statistics, or empty
   * where there is none: on a Spark Connect session, or where Spark cannot tell (its default
   * estimate for an unknown size is {@code spark.sql.defaultSizeInBytes}, Long.MAX_VALUE).
   */
  public OptionalLong sizeEstimate(Dataset<Row> df) {
    if (connect) {
      return OptionalLong.empty();
    }
    try {
      Object execution = df.getClass().getMethod("queryExecution").invoke(df);
      Object plan = execution.getClass().getMethod("optimizedPlan").invoke(execution);
      Object stats = plan.getClass().getMethod("stats").invoke(plan);
      scala.math.BigInt size =
          (scala.math.BigInt) stats.getClass().getMethod("sizeInBytes").invoke(stats);
      return size.isValidLong() && size.longValue() < Long.MAX_VALUE
          ? OptionalLong.of(size.longValue())
          : OptionalLong.empty();
    } catch (ReflectiveOperationException | ClassCastException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * {@code spark.driver.maxResultSize} in bytes, or empty if unlimited (0) or unknown (on a Spark
   * Connect session the client holds the batches, not the server's driver).
   */
  public OptionalLong maxResultSize() {
    if (connect) {
      return OptionalLong.empty();
    }
    long max = spark.sparkContext().getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
    return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
  }

  /**
   * Starts Spark on the Dataset's Arrow batches and gives them as a stream that fails once they
   * pass {@code limit} bytes in all (then nothing of them is held any more). Close it.
   *
   * @throws SpillException if the Dataset's Arrow batches cannot be had on this Spark
   */
  public Stream open(Dataset<Row> df, long limit) {
    return connect ? openConnect(df, limit) : openClassic(df, limit);
  }

  // ---------------------------------------------------------------------------------------------
  // Classic sessions

  private Stream openClassic(Dataset<Row> df, long limit) {
    RDD<byte[]> rdd = batchRdd(df);
    byte[] schema = schemaMessage(arrowSchema(df.schema()));
    ClassicStream stream =
        new ClassicStream(
            rdd, schema, limit - schema.length - END_OF_STREAM.length, spark.sparkContext());
    stream.start();
    return stream;
  }

  /**
   * The batches of a classic session: a Spark job, run by a thread of its own, encodes the
   * partitions on the executors; each partition's batches reach the driver as one piece (handed
   * over by an executor in the driver's JVM, else as the task's result) and are held until the
   * stream has given them, in partition order. Past the limit the job is cancelled and what was
   * held is dropped.
   */
  private static final class ClassicStream extends Stream
      implements Function2<Object, byte[][], BoxedUnit> {
    private final RDD<byte[]> rdd;
    private final byte[] schema;
    private final long limit;
    private final SparkContext context;
    private final String tag = "spill-arrow-" + UUID.randomUUID();
    private final Thread job;
    private final byte[][][] parts;
    private final boolean[] arrived;
    private int handedOver;
    private long received;
    private int part;
    private int inPart;
    private boolean overflowed;
    private boolean cancelled;
    private boolean done;
    private Throwable failure;

    ClassicStream(RDD<byte[]> rdd, byte[] schema, long limit, SparkContext context) {
      this.rdd = rdd;
      this.schema = schema;
      this.limit = limit;
      this.context = context;
      this.parts = new byte[rdd.getNumPartitions()][][];
      this.arrived = new boolean[parts.length];
      // Spark's local properties (job group, scheduler pool, description) pass to the job's thread
      this.job = new Thread(this::runJob, "spill-arrow-batches");
      this.job.setDaemon(true);
    }

    void start() {
      job.start();
    }

    private void runJob() {
      Throwable failed = null;
      context.addJobTag(tag);
      try {
        if (!isCancelled()) {
          IN_THIS_JVM.put(tag, this);
          context.runJob(
              rdd, new PartitionBatches(tag), this, ClassTag$.MODULE$.apply(byte[][].class));
        }
      } catch (Throwable e) { // Spark's SparkException is checked in Java's eyes
        failed = e;
      } finally {
        IN_THIS_JVM.remove(tag);
        context.removeJobTag(tag);
        synchronized (this) {
          if (failed != null && !cancelled && !overflowed) {
            if (isResultSizeError(failed)) {
              overflow();
            } else {
              failure = failed;
            }
          }
          done = true;
          sparkDone();
          notifyAll();
        }
      }
    }

    private synchronized boolean isCancelled() {
      return cancelled || overflowed;
    }

    /**
     * On the driver, as each task's result arrives: a partition's batches, held, or past the limit,
     * all dropped; nothing if the executor handed them over already.
     */
    @Override
    public synchronized BoxedUnit apply(Object partition, byte[][] batches) {
      int p = (Integer) partition;
      if (arrived[p]) {
        return BoxedUnit.UNIT; // handed over, or a second attempt's
      }
      arrived[p] = true;
      long bytes = 0;
      for (byte[] b : batches) {
        bytes += b.length;
      }
      if (reserve(bytes)) {
        parts[p] = batches;
        notifyAll();
      }
      return BoxedUnit.UNIT;
    }

    /**
     * Counts {@code bytes} more batches against the limit; false if the stream takes no more (it is
     * closed, or has just passed the limit: then the job is cancelled, what was held dropped).
     */
    synchronized boolean reserve(long bytes) {
      if (cancelled || overflowed) {
        context.cancelJobsWithTag(tag); // the job may have started after the stream was closed
        return false;
      }
      received += bytes;
      if (received > limit) {
        overflow();
        context.cancelJobsWithTag(tag);
        notifyAll();
        return false;
      }
      return true;
    }

    /** Gives back what a failed task attempt reserved: its retry reserves it again. */
    synchronized void unreserve(long bytes) {
      received -= bytes;
    }

    /**
     * In an executor in the driver's JVM: partition {@code p}'s batches, their bytes reserved;
     * dropped if another attempt's came first (the partition is the same) or the stream is done.
     */
    synchronized void handOver(int p, byte[][] batches) {
      if (arrived[p] || cancelled || overflowed) {
        return;
      }
      arrived[p] = true;
      handedOver++;
      parts[p] = batches;
      notifyAll();
    }

    @Override
    public synchronized int partitionsHandedOver() {
      return handedOver;
    }

    private void overflow() {
      overflowed = true;
      java.util.Arrays.fill(parts, null);
    }

    @Override
    synchronized byte[] schema() {
      return schema;
    }

    @Override
    synchronized byte[] nextBatch() throws IOException {
      while (true) {
        if (overflowed) {
          throw new IOException("the Arrow batches passed the limit of " + limit + " bytes");
        }
        if (failure != null) {
          throw new IOException("Spark failed to compute the Dataset: " + failure, failure);
        }
        if (cancelled) {
          throw new IOException("the stream is closed");
        }
        if (part == parts.length) {
          if (done) {
            return null;
          }
        } else if (parts[part] != null) {
          byte[][] batches = parts[part];
          if (inPart < batches.length) {
            byte[] batch = batches[inPart];
            batches[inPart++] = null; // let go: the engine has it now
            return batch;
          }
          parts[part++] = null;
          inPart = 0;
          continue;
        } else if (done) {
          throw new IOException("Spark's job ended without partition " + part);
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for Spark's batches");
        }
      }
    }

    @Override
    public synchronized boolean overflowed() {
      return overflowed;
    }

    @Override
    public synchronized Optional<Throwable> sparkFailure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
      synchronized (this) {
        if (!done) {
          cancelled = true;
          context.cancelJobsWithTag(tag);
        }
        java.util.Arrays.fill(parts, null);
      }
      try {
        job.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the job is cancelled; it ends on its own
      }
    }
  }

  /** Spark's own failure when the results pass {@code spark.driver.maxResultSize}. */
  private static boolean isResultSizeError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("spark.driver.maxResultSize")) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static RDD<byte[]> batchRdd(Dataset<Row> df) {
    try {
      return (RDD<byte[]>) df.getClass().getMethod("toArrowBatchRdd").invoke(df);
    } catch (InvocationTargetException e) {
      throw rethrown(e.getCause());
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new SpillException(
          "this Spark ("
              + df.getClass().getName()
              + ") does not encode Datasets as Arrow batches (no toArrowBatchRdd): use"
              + " ToEngine.eager() or lazy()",
          e);
    }
  }

  /**
   * Spark's Arrow schema for {@code schema}, made as {@code toArrowBatchRdd} makes the batches'
   * (the session's time zone and large-types setting), which the batches must be read with.
   */
  private Schema arrowSchema(StructType schema) {
    boolean large =
        Boolean.parseBoolean(
            spark.conf().get("spark.sql.execution.arrow.useLargeVarTypes", "false"));
    String zone = spark.conf().get("spark.sql.session.timeZone");
    try {
      Method toArrow =
          Class.forName("org.apache.spark.sql.util.ArrowUtils")
              .getMethod(
                  "toArrowSchema", StructType.class, String.class, boolean.class, boolean.class);
      return (Schema) toArrow.invoke(null, schema, zone, false, large);
    } catch (InvocationTargetException e) {
      throw rethrown(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new SpillException(
          "this Spark has no ArrowUtils.toArrowSchema(StructType, String, boolean, boolean):"
              + " use ToEngine.eager() or lazy()",
          e);
    }
  }

  private static byte[] schemaMessage(Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The rows of one encoded record batch, from its message header. */
  private static long batchRows(byte[] batch) {
    try (ReadChannel in = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(batch)))) {
      MessageMetadataResult message = MessageSerializer.readMessage(in);
      if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
        throw new SpillException("Spark sent an Arrow message that is not a record batch");
      }
      return ((RecordBatch) message.getMessage().header(new RecordBatch())).length();
    } catch (IOException e) {
      throw new SpillException("cannot read an Arrow batch Spark sent: " + e.getMessage(), e);
    }
  }

  /**
   * On an executor: a partition's encoded batches, as one array, the task's result; or, in the
   * driver's JVM, handed to the job's stream, each batch counted against its limit as it is encoded
   * (past it the task stops), and nothing returned.
   */
  private static final class PartitionBatches
      implements Function1<Iterator<byte[]>, byte[][]>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte[][] NONE = new byte[0][];
    private final String tag;

    PartitionBatches(String tag) {
      this.tag = tag;
    }

    @Override
    public byte[][] apply(Iterator<byte[]> batches) {
      ClassicStream driver = IN_THIS_JVM.get(tag);
      List<byte[]> out = new ArrayList<>();
      if (driver == null) {
        while (batches.hasNext()) {
          out.add(batches.next());
        }
        return out.toArray(NONE);
      }
      long reserved = 0;
      try {
        while (batches.hasNext()) {
          byte[] batch = batches.next();
          reserved += batch.length;
          if (!driver.reserve(batch.length)) {
            return NONE; // the stream takes no more: the job is being cancelled
          }
          out.add(batch);
        }
      } catch (Throwable e) { // Spark's exceptions may be checked ones, thrown from Scala
        driver.unreserve(reserved);
        throw e;
      }
      driver.handOver(TaskContext.getPartitionId(), out.toArray(NONE));
      return NONE;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Spark Connect sessions

  /**
   * The Arrow batches the Connect server sends for the Dataset's plan, read from the server as the
   * stream is read: each response's batch is an IPC stream of its own (schema, batch, end); they
   * become one stream with the first schema.
   */
  private Stream openConnect(Dataset<Row> df, long limit) {
    Object responses;
    try {
      Object plan = df.getClass().getMethod("plan").invoke(df);
      responses =
          spark.getClass().getMethod("executeInternal", plan.getClass()).invoke(spark, plan);
    } catch (InvocationTargetException e) {
      throw rethrown(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new SpillException(
          "this Spark Connect client ("
              + spark.getClass().getName()
              + ") gives no Arrow batches: use ToEngine.eager() or lazy()",
          e);
    }
    return new ConnectStream((Iterator<?>) responses, limit, () -> arrowSchema(df.schema()));
  }

  /** The batches of a Spark Connect session, pulled from the server's responses as read. */
  private static final class ConnectStream extends Stream {
    private final Iterator<?> responses;
    private final long limit;
    private final java.util.function.Supplier<Schema> emptySchema;
    private final java.util.ArrayDeque<byte[]> ready = new java.util.ArrayDeque<>();
    private byte[] schema;
    private long received;
    private boolean overflowed;
    private boolean ended;
    private Throwable failure;

    ConnectStream(
        Iterator<?> responses, long limit, java.util.function.Supplier<Schema> emptySchema) {
      this.responses = responses;
      this.limit = limit;
      this.emptySchema = emptySchema;
    }

    @Override
    byte[] schema() throws IOException {
      while (schema == null && pull()) {
        // the first batch's own schema message, or none for a Dataset without rows
      }
      if (schema == null) { // no batch at all: the schema as the server would have sent it
        schema = schemaMessage(emptySchema.get());
      }
      return schema;
    }

    @Override
    byte[] nextBatch() throws IOException {
      while (ready.isEmpty() && pull()) {
        // until a response carries a batch, or there are no more
      }
      return ready.poll();
    }

    /** Reads the next response with a batch; false at the end. */
    private boolean pull() throws IOException {
      if (ended) {
        return false;
      }
      byte[] chunk;
      try {
        chunk = nextChunk();
      } catch (RuntimeException e) { // the server's failure to compute the Dataset
        failure = e;
        close();
        throw new IOException("Spark failed to compute the Dataset: " + e, e);
      }
      if (chunk == null) {
        ended = true;
        sparkDone();
        return false;
      }
      received += chunk.length;
      if (received > limit) {
        overflowed = true;
        ready.clear();
        close();
        throw new IOException("the Arrow batches passed the limit of " + limit + " bytes");
      }
      Split split = split(chunk);
      if (schema == null) {
        schema = split.schema;
      }
      ready.addAll(split.batches);
      return true;
    }

    /** The next response's Arrow batch (an IPC stream of its own), or null after the last. */
    private byte[] nextChunk() {
      while (responses.hasNext()) {
        Object response = responses.next();
        if ((boolean) call(response, "hasArrowBatch")) {
          return (byte[]) call(call(call(response, "getArrowBatch"), "getData"), "toByteArray");
        }
      }
      return null;
    }

    @Override
    public boolean overflowed() {
      return overflowed;
    }

    @Override
    public Optional<Throwable> sparkFailure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
      ended = true;
      if (responses instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // the operation is released by the server in time; nothing of ours is left
        }
      }
    }
  }

  /** An IPC stream's messages: its schema message (null if none) and its record batches. */
  private static final class Split {
    private final byte[] schema;
    private final List<byte[]> batches;

    Split(byte[] schema, List<byte[]> batches) {
      this.schema = schema;
      this.batches = batches;
    }
  }

  /** An IPC stream's schema message and its record batch messages, each as its bytes. */
  private static Split split(byte[] stream) {
    byte[] schema = null;
    List<byte[]> batches = new ArrayList<>();
    try (ReadChannel in = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(stream)))) {
      while (true) {
        long start = in.bytesRead();
        MessageMetadataResult message = MessageSerializer.readMessage(in);
        if (message == null) {
          break;
        }
        long body = message.getMessageBodyLength();
        long end = in.bytesRead() + body;
        if (end > stream.length) {
          throw new SpillException("an Arrow batch from Spark Connect is cut short");
        }
        byte[] bytes = java.util.Arrays.copyOfRange(stream, (int) start, (int) end);
        in.readFully(java.nio.ByteBuffer.allocate((int) body));
        switch (message.getMessage().headerType()) {
          case MessageHeader.Schema -> schema = bytes;
          case MessageHeader.RecordBatch -> batches.add(bytes);
          default ->
              throw new SpillException(
                  "Spark Connect sent an Arrow message of type "
                      + MessageHeader.name(message.getMessage().headerType())
                      + ", which spill does not read (dictionaries are not part of Spark's"
                      + " Arrow form)");
        }
      }
    } catch (IOException e) {
      throw new SpillException(
          "cannot read Arrow batches from Spark Connect: " + e.getMessage(), e);
    }
    return new Split(schema, batches);
  }

  private static Object call(Object target, String method) {
    try {
      return target.getClass().getMethod(method).invoke(target);
    } catch (InvocationTargetException e) {
      throw rethrown(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new SpillException(
          "this Spark Connect client's responses have no " + method + "(): " + e, e);
    }
  }

  /**
   * Throws Spark's failure as Spark threw it, a checked {@code SparkException} included (Spark's
   * Scala methods throw it undeclared, and the spill path's write lets it through): the caller sees
   * the same error whichever path a transfer took. Returns nothing; the return type lets callers
   * write {@code throw rethrown(e)}.
   */
  static RuntimeException rethrown(Throwable failure) {
    if (failure instanceof Error err) {
      throw err;
    }
    ArrowBatches.<RuntimeException>throwUnchecked((Exception) failure);
    throw new AssertionError("not reached");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> void throwUnchecked(Exception e) throws E {
    throw (E) e;
  }
}
