package io.spill.engine.arrow;

import io.spill.engine.arrow.Sinks.RecordSink;
import io.spill.engine.arrow.Sinks.Sink;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads one row group of one Parquet file into Arrow batches. Each top-level column of a primitive
 * type has a file reader of its own (so columns decompress and decode in parallel without sharing a
 * decompressor) and is decoded by {@link FlatColumnReader}, or, for encodings it does not handle,
 * by parquet-column's column reader into a {@link Sinks} converter. The nested columns (structs,
 * lists, maps) are assembled together by parquet-column's record reader into their vectors.
 */
final class RowGroupCursor implements AutoCloseable {
  /** Parsing Hadoop's default XML files is slow: one configuration serves every reader. */
  private static final Configuration HADOOP = new Configuration();

  private final long rows;
  private final long bytes;
  private final Path file;
  private final List<Task> tasks = new ArrayList<>();
  private final List<int[]> columns = new ArrayList<>();

  /** The file reader each task opened (one element each; null until the task first reads). */
  private final List<ParquetFileReader[]> opened = new ArrayList<>();

  private final List<ParquetFileReader> readers = new ArrayList<>();
  private long done;

  /** A part of the columns that fills its vectors for the next {@code n} rows. */
  private interface Task {
    void read(List<FieldVector> vectors, int n) throws IOException;
  }

  RowGroupCursor(Path file, ParquetMetadata footer, int rowGroup, Schema arrow) {
    this.file = file;
    MessageType schema = footer.getFileMetaData().getSchema();
    String createdBy = footer.getFileMetaData().getCreatedBy();
    BlockMetaData block = footer.getBlocks().get(rowGroup);
    rows = block.getRowCount();
    bytes = block.getCompressedSize();
    List<Integer> nested = new ArrayList<>();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      if (schema.getType(i).isPrimitive()) {
        ParquetFileReader[] holder = new ParquetFileReader[1];
        opened.add(holder);
        tasks.add(column(file, footer, rowGroup, schema, createdBy, i, arrow, holder));
        columns.add(new int[] {i});
      } else {
        nested.add(i);
      }
    }
    if (!nested.isEmpty()) {
      ParquetFileReader[] holder = new ParquetFileReader[1];
      opened.add(holder);
      tasks.add(records(file, footer, rowGroup, schema, nested, arrow, holder));
      columns.add(nested.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** The pages of {@code projection}'s columns in the row group, through a reader of their own. */
  private PageReadStore pages(
      Path file,
      ParquetMetadata footer,
      int rowGroup,
      MessageType projection,
      ParquetFileReader[] holder)
      throws IOException {
    LocalInputFile in = new LocalInputFile(file);
    // options of its own (a decompressor cache of its own) on a Hadoop configuration read once
    ParquetFileReader reader =
        new ParquetFileReader(
            in, footer, HadoopReadOptions.builder(HADOOP).build(), in.newStream());
    synchronized (readers) {
      readers.add(reader);
    }
    holder[0] = reader;
    reader.setRequestedSchema(projection);
    return reader.readRowGroup(rowGroup);
  }

  /**
   * One task's read; what goes wrong inside the decoders (a codec missing from the class path, a
   * malformed page or dictionary, a file that ends early) becomes an error naming the file.
   */
  private void read(Task t, List<FieldVector> vectors, int n) {
    try {
      t.read(vectors, n);
    } catch (SpillException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw unreadable(file, e);
    }
  }

  /** An error naming {@code file}, what went wrong reading it, and why where that is known. */
  static SpillException unreadable(Path file, Throwable e) {
    return new SpillException(
        "cannot read the Parquet file "
            + file
            + ": "
            + reason(e)
            + " ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + ")",
        e);
  }

  /** What a decoder's failure means for the user, from where it happened. */
  private static String reason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Codec was not found")) {
      return "its compression codec is not on the class path (Spark's is missing it too);"
          + " rewrite the file with SNAPPY, ZSTD or GZIP";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        String at = frame.getClassName().toLowerCase(java.util.Locale.ROOT);
        if (at.contains("lz4")) {
          return "its LZ4 pages are not in the framing parquet-java decodes (LZ4 without"
              + " Hadoop's framing, which Spark cannot read either); rewrite the file with"
              + " LZ4_RAW, SNAPPY or ZSTD";
        }
      }
      if (t instanceof java.nio.BufferUnderflowException) {
        return "a page ends before the values it declares (the file is malformed or cut short)";
      }
    }
    return "the file is malformed, or uses something parquet-java cannot decode";
  }

  /** How many rows are left. */
  long remaining() {
    return rows - done;
  }

  /** The compressed bytes of the row group. */
  long bytes() {
    return bytes;
  }

  /**
   * Reads the next rows into {@code root} (whose vectors are empty), at most {@code max}.
   *
   * @return how many rows were read
   */
  int next(VectorSchemaRoot root, int max, ExecutorService pool) throws IOException {
    int n = (int) Math.min(max, remaining());
    List<FieldVector> vectors = root.getFieldVectors();
    if (tasks.size() == 1 || pool == null) {
      for (Task t : tasks) {
        read(t, vectors, n);
      }
    } else {
      List<Future<?>> running = new ArrayList<>();
      for (Task t : tasks) {
        running.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      read(t, vectors, n);
                      return null;
                    }));
      }
      waitFor(running);
    }
    root.setRowCount(n);
    done += n;
    return n;
  }

  /**
   * Reads every remaining row into {@code batches} (empty vectors, sized by their row counts, in
   * order), each column through all batches as one job on {@code pool}; the jobs are added to
   * {@code running} for the caller to wait for.
   */
  void readInto(
      List<VectorSchemaRoot> batches, int[] rows, ExecutorService pool, List<Future<?>> running) {
    for (int k = 0; k < tasks.size(); k++) {
      Task t = tasks.get(k);
      int[] mine = columns.get(k);
      ParquetFileReader[] holder = opened.get(k);
      running.add(
          pool.submit(
              (Callable<Void>)
                  () -> {
                    for (int b = 0; b < batches.size(); b++) {
                      List<FieldVector> vectors = batches.get(b).getFieldVectors();
                      for (int c : mine) { // sized here, so that the jobs share the allocation work
                        allocate(vectors.get(c), rows[b]);
                      }
                      read(t, vectors, rows[b]);
                    }
                    // its rows are all read: its file handle goes now, not with the whole read
                    closeReader(holder);
                    return null;
                  }));
    }
    done = rows.length == 0 ? done : this.rows;
  }

  private void closeReader(ParquetFileReader[] holder) throws IOException {
    ParquetFileReader reader = holder[0];
    if (reader != null) {
      holder[0] = null;
      synchronized (readers) {
        readers.remove(reader);
      }
      reader.close();
    }
  }

  /** Room for {@code rows} values, so that filling the vector rarely reallocates. */
  private static void allocate(FieldVector v, int rows) {
    if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector w) {
      w.setInitialCapacity(rows, 32);
    } else {
      v.setInitialCapacity(rows);
    }
    v.allocateNew();
  }

  static void waitFor(List<Future<?>> running) {
    RuntimeException first = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new SpillException("reading Parquet failed: " + e.getCause(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(r -> r.cancel(true));
        throw new SpillException("reading Parquet was interrupted", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A top-level primitive column read with its own column reader. */
  private Task column(
      Path file,
      ParquetMetadata footer,
      int rowGroup,
      MessageType schema,
      String createdBy,
      int index,
      Schema arrow,
      ParquetFileReader[] holder) {
    Type type = schema.getType(index);
    Sink sink = Sinks.of(arrow.getFields().get(index), type);
    MessageType alone = new MessageType(schema.getName(), type);
    GroupConverter root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return sink.converter();
          }

          @Override
          public void start() {}

          @Override
          public void end() {}
        };
    ColumnDescriptor descriptor = schema.getColumnDescription(new String[] {type.getName()});
    // the reader (and the dictionary it hands the sink) lives as long as the row group
    ColumnReader[] column = new ColumnReader[1];
    int maxDefinition = descriptor.getMaxDefinitionLevel();
    ArrowType arrowType = arrow.getFields().get(index).getType();
    boolean flat =
        footer.getBlocks().get(rowGroup).getColumns().stream()
            .filter(c -> c.getPath().equals(ColumnPath.get(type.getName())))
            .allMatch(
                c -> FlatColumnReader.canRead(c.getEncodings(), arrowType, type.asPrimitiveType()));
    if (flat) {
      FlatColumnReader[] decoder = new FlatColumnReader[1];
      return (vectors, n) -> {
        if (decoder[0] == null) {
          decoder[0] =
              new FlatColumnReader(
                  pages(file, footer, rowGroup, alone, holder).getPageReader(descriptor),
                  descriptor,
                  arrowType);
        }
        decoder[0].fill(vectors.get(index), n);
      };
    }
    return (vectors, n) -> {
      if (column[0] == null) {
        column[0] =
            new ColumnReadStoreImpl(
                    pages(file, footer, rowGroup, alone, holder), root, alone, createdBy)
                .getColumnReader(descriptor);
      }
      ColumnReader c = column[0];
      sink.bind(vectors.get(index));
      for (int i = 0; i < n; i++) {
        if (c.getCurrentDefinitionLevel() == maxDefinition) {
          c.writeCurrentValueToConverter();
        } else {
          sink.appendNull();
        }
        c.consume();
      }
    };
  }

  /** The nested columns, assembled record by record. */
  private Task records(
      Path file,
      ParquetMetadata footer,
      int rowGroup,
      MessageType schema,
      List<Integer> indexes,
      Schema arrow,
      ParquetFileReader[] holder) {
    List<Type> fields = new ArrayList<>();
    List<Sink> sinks = new ArrayList<>();
    for (int i : indexes) {
      fields.add(schema.getType(i));
      sinks.add(Sinks.of(arrow.getFields().get(i), schema.getType(i)));
    }
    MessageType projection = new MessageType(schema.getName(), fields);
    RecordSink record = new RecordSink(sinks);
    RecordMaterializer<Void> materializer =
        new RecordMaterializer<Void>() {
          @Override
          public Void getCurrentRecord() {
            return null;
          }

          @Override
          public GroupConverter getRootConverter() {
            return record;
          }
        };
    @SuppressWarnings({"unchecked", "rawtypes"}) // a one-element holder: arrays cannot be generic
    RecordReader<Void>[] reader = new RecordReader[1];
    return (vectors, n) -> {
      if (reader[0] == null) {
        reader[0] =
            new ColumnIOFactory()
                .getColumnIO(projection, schema)
                .getRecordReader(pages(file, footer, rowGroup, projection, holder), materializer);
      }
      RecordReader<Void> recordReader = reader[0];
      List<FieldVector> mine = new ArrayList<>();
      for (int i : indexes) {
        mine.add(vectors.get(i));
      }
      record.bind(mine);
      for (int i = 0; i < n; i++) {
        recordReader.read();
      }
    };
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    synchronized (readers) {
      for (ParquetFileReader r : readers) {
        try {
          r.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      readers.clear();
    }
    if (first != null) {
      throw first;
    }
  }
}
