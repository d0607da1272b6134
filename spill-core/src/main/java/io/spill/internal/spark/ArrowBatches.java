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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkContext;
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
 * <p>The batches are held in memory up to a limit: past it, the collection stops (its Spark job is
 * cancelled, or the Connect stream closed), what was held is dropped, and {@link #collect} says so,
 * so that the caller spills instead. The only class of spill-core that uses Arrow, for Spark's own
 * Arrow schema and its IPC framing (Spark ships Arrow).
 */
public final class ArrowBatches {
  private static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

  private final SparkSession spark;
  private final boolean connect;

  public ArrowBatches(SparkSession spark) {
    this.spark = spark;
    this.connect = SparkSessions.isConnect(spark);
  }

  /** The batches of a Dataset: one Arrow IPC stream, in pieces held in memory. */
  public static final class Stream {
    private final List<byte[]> pieces;
    private final long rows;
    private final int batches;
    private final long bytes;

    private Stream(List<byte[]> pieces, long rows, int batches) {
      this.pieces = pieces;
      this.rows = rows;
      this.batches = batches;
      this.bytes = pieces.stream().mapToLong(p -> p.length).sum();
    }

    /** {@return the stream: schema, batches in the Dataset's order, end marker} */
    public InputStream open() {
      List<InputStream> parts = new ArrayList<>(pieces.size());
      for (byte[] p : pieces) {
        parts.add(new ByteArrayInputStream(p));
      }
      return new java.io.SequenceInputStream(Collections.enumeration(parts));
    }

    public long rows() {
      return rows;
    }

    public int batches() {
      return batches;
    }

    public long bytes() {
      return bytes;
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
   * The Dataset's rows as Arrow batches held in memory, or empty if they exceed {@code limit} bytes
   * (then nothing is held any more).
   *
   * @throws SpillException if Spark fails to compute the Dataset, or its Arrow batches cannot be
   *     had on this Spark
   */
  public Optional<Stream> collect(Dataset<Row> df, long limit) {
    return connect ? collectConnect(df, limit) : collectClassic(df, limit);
  }

  // ---------------------------------------------------------------------------------------------
  // Classic sessions

  private Optional<Stream> collectClassic(Dataset<Row> df, long limit) {
    RDD<byte[]> rdd = batchRdd(df);
    byte[] schema = schemaMessage(arrowSchema(df.schema()));
    SparkContext context = spark.sparkContext();
    int partitions = rdd.getNumPartitions();
    Gather gather = new Gather(partitions, limit - schema.length - END_OF_STREAM.length, context);
    String tag = "spill-arrow-" + UUID.randomUUID();
    gather.tag = tag;
    context.addJobTag(tag);
    try {
      context.runJob(rdd, new PartitionBatches(), gather, ClassTag$.MODULE$.apply(byte[][].class));
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes
      if (gather.overflowed.get() || isResultSizeError(e)) {
        return Optional.empty();
      }
      throw rethrown(e); // as the spill path's write throws it
    } finally {
      context.removeJobTag(tag);
    }
    if (gather.overflowed.get()) {
      return Optional.empty();
    }
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(schema);
    long rows = 0;
    int batches = 0;
    for (byte[][] part : gather.parts) {
      for (byte[] batch : part) {
        pieces.add(batch);
        rows += batchRows(batch);
        batches++;
      }
    }
    pieces.add(END_OF_STREAM);
    return Optional.of(new Stream(pieces, rows, batches));
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

  /** On an executor: a partition's encoded batches, as one array. */
  private static final class PartitionBatches
      implements Function1<Iterator<byte[]>, byte[][]>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[][] apply(Iterator<byte[]> batches) {
      List<byte[]> out = new ArrayList<>();
      while (batches.hasNext()) {
        out.add(batches.next());
      }
      return out.toArray(new byte[0][]);
    }
  }

  /**
   * On the driver: each partition's batches as they arrive, in partition order, until they pass the
   * limit; then the job is cancelled and what was held is dropped.
   */
  private static final class Gather implements Function2<Object, byte[][], BoxedUnit> {
    private final byte[][][] parts;
    private final long limit;
    private final SparkContext context;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private long held;
    private String tag;

    Gather(int partitions, long limit, SparkContext context) {
      this.parts = new byte[partitions][][];
      this.limit = limit;
      this.context = context;
      java.util.Arrays.fill(parts, new byte[0][]);
    }

    @Override
    public synchronized BoxedUnit apply(Object partition, byte[][] batches) {
      if (overflowed.get()) {
        return BoxedUnit.UNIT;
      }
      for (byte[] b : batches) {
        held += b.length;
      }
      if (held > limit) {
        overflowed.set(true);
        java.util.Arrays.fill(parts, null);
        context.cancelJobsWithTag(tag);
        return BoxedUnit.UNIT;
      }
      parts[(Integer) partition] = batches;
      return BoxedUnit.UNIT;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Spark Connect sessions

  /**
   * The Arrow batches the Connect server sends for the Dataset's plan: each response's batch is an
   * IPC stream of its own (schema, batch, end); they become one stream with the first schema.
   */
  private Optional<Stream> collectConnect(Dataset<Row> df, long limit) {
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
    Iterator<?> it = (Iterator<?>) responses;
    List<byte[]> pieces = new ArrayList<>();
    byte[] schema = null;
    long held = 0;
    long rows = 0;
    int batches = 0;
    try {
      while (it.hasNext()) {
        Object response = it.next();
        if (!(boolean) call(response, "hasArrowBatch")) {
          continue;
        }
        Object batch = call(response, "getArrowBatch");
        byte[] chunk = (byte[]) call(call(batch, "getData"), "toByteArray");
        held += chunk.length;
        if (held > limit) {
          return Optional.empty();
        }
        Split split = split(chunk);
        if (schema == null) {
          schema = split.schema;
        }
        pieces.addAll(split.batches);
        batches += split.batches.size();
        rows += (long) call(batch, "getRowCount");
      }
    } finally {
      if (it instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // the operation is released by the server in time; nothing of ours is left
        }
      }
    }
    if (schema == null) { // no batch at all: the schema as the server would have sent it
      schema = schemaMessage(arrowSchema(df.schema()));
    }
    pieces.add(0, schema);
    pieces.add(END_OF_STREAM);
    return Optional.of(new Stream(pieces, rows, batches));
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
  private static RuntimeException rethrown(Throwable failure) {
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
