package io.spill.engine.arrow;

import static java.util.Objects.requireNonNull;

import io.spill.engine.arrow.ParquetArrowReader.ParquetFiles;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Rows in Arrow on the driver: record batches held in memory by the frame's own allocator (eager),
 * or Parquet files streamed batch by batch when they are read (lazy), or a reader the user made
 * ({@link #of(ArrowReader)}).
 *
 * <p>{@link #reader()} gives a fresh {@link ArrowReader} each call, whatever the kind; close each
 * reader before the frame. {@link #close()} frees the frame's memory (its batches, and for {@link
 * #of(ArrowReader)} the reader) and is idempotent; a closed frame refuses use with {@link
 * IllegalStateException}.
 *
 * <p>A frame made with {@link #of(ArrowReader)} is read once: by the first write (spill's {@code
 * engineToSpark} or a checkpoint save, which stream it) or by the first call that needs its rows in
 * memory ({@link #batches()}, {@link #rowCount()}, {@link #reader()}), which loads it and makes it
 * eager.
 */
public final class ArrowFrame implements AutoCloseable {
  private final Schema schema;
  private final BufferAllocator allocator;
  private final boolean ownsAllocator;
  private final ParquetFiles files;
  private final int batchRows;
  private final ExecutorService pool;
  private final Consumer<ArrowFrame> onClose;
  private List<VectorSchemaRoot> batches;
  private ArrowReader source;
  private boolean consumed;
  private boolean closed;

  /** A user's reader with dictionary-encoded columns: its batches are decoded as they are read. */
  private boolean decodes;

  /** The decoded batch a write holds now, freed at the next batch (or when the frame closes). */
  private Dictionaries.Decoded inFlight;

  private ArrowFrame(
      Schema schema,
      BufferAllocator allocator,
      boolean ownsAllocator,
      List<VectorSchemaRoot> batches,
      ParquetFiles files,
      ArrowReader source,
      int batchRows,
      ExecutorService pool,
      Consumer<ArrowFrame> onClose) {
    this.schema = schema;
    this.allocator = allocator;
    this.ownsAllocator = ownsAllocator;
    this.batches = batches;
    this.files = files;
    this.source = source;
    this.batchRows = batchRows;
    this.pool = pool;
    this.onClose = onClose;
  }

  static ArrowFrame eager(
      Schema schema,
      BufferAllocator allocator,
      List<VectorSchemaRoot> batches,
      Consumer<ArrowFrame> onClose) {
    return new ArrowFrame(
        schema, allocator, true, new ArrayList<>(batches), null, null, 0, null, onClose);
  }

  static ArrowFrame lazy(
      ParquetFiles files,
      BufferAllocator allocator,
      int batchRows,
      ExecutorService pool,
      Consumer<ArrowFrame> onClose) {
    return new ArrowFrame(
        files.schema(), allocator, true, null, files, null, batchRows, pool, onClose);
  }

  /**
   * A frame of a reader the caller made, to send to Spark or save as a checkpoint; the frame owns
   * the reader and closes it. Its batches stay in the reader's allocator. Dictionary-encoded
   * columns (from an IPC stream, Flight or the C Data interface) are decoded through the reader's
   * dictionaries, so that their values reach Spark, not their ids; one inside a nested column is
   * refused.
   *
   * @param reader the reader, which the frame owns from then on
   * @return a new frame
   * @throws SpillException if the reader's schema cannot be read
   */
  public static ArrowFrame of(ArrowReader reader) {
    requireNonNull(reader, "reader is null");
    try {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      BufferAllocator allocator =
          root.getFieldVectors().isEmpty() ? null : root.getFieldVectors().get(0).getAllocator();
      boolean encoded = Dictionaries.anyEncoded(root.getSchema());
      Schema schema = encoded ? Dictionaries.decoded(root.getSchema(), reader) : root.getSchema();
      ArrowFrame frame =
          new ArrowFrame(schema, allocator, false, null, null, reader, 0, null, f -> {});
      frame.decodes = encoded;
      return frame;
    } catch (IOException e) {
      throw new SpillException("cannot read the reader's schema: " + e.getMessage(), e);
    }
  }

  /**
   * The columns.
   *
   * @return the schema
   */
  public Schema schema() {
    check();
    return schema;
  }

  /**
   * Whether the rows stay in their files until read.
   *
   * @return whether the frame streams its files
   */
  public boolean isLazy() {
    check();
    return files != null;
  }

  /**
   * How many rows; a lazy frame counts them from the files' footers.
   *
   * @return the number of rows
   */
  public long rowCount() {
    check();
    if (files != null) {
      return files.rowCount();
    }
    return loaded().stream().mapToLong(VectorSchemaRoot::getRowCount).sum();
  }

  /**
   * The batches in memory, in order; valid until the frame is closed.
   *
   * @return the batches
   * @throws IllegalStateException for a lazy frame (use {@link #reader()})
   */
  public List<VectorSchemaRoot> batches() {
    check();
    if (files != null) {
      throw new IllegalStateException(
          "a lazy frame holds no batches in memory: read it with"
              + " reader(), or read it eagerly");
    }
    return Collections.unmodifiableList(loaded());
  }

  /**
   * A fresh reader of the frame's rows: a lazy frame's streams its files; an eager frame's shares
   * its batches' buffers (no copy). Close it before the frame.
   *
   * @return a new reader, closed before the frame
   */
  public ArrowReader reader() {
    check();
    if (files != null) {
      return new ParquetArrowReader(allocator, files, batchRows, pool);
    }
    return new BatchesReader(allocator(), schema, loaded(), false);
  }

  /** The batches in order, for a write: streams a user's reader once, without loading it. */
  ParquetArrowWriter.Batches stream() throws IOException {
    check();
    if (source != null && batches == null) {
      consumed = true;
      ArrowReader r = source;
      if (!decodes) {
        return () -> r.loadNextBatch() ? r.getVectorSchemaRoot() : null;
      }
      return () -> {
        freeInFlight();
        if (!r.loadNextBatch()) {
          return null;
        }
        inFlight = Dictionaries.decode(r.getVectorSchemaRoot(), schema, r);
        return inFlight.root();
      };
    }
    ArrowReader r = reader();
    return new ParquetArrowWriter.Batches() {
      private boolean open = true;

      @Override
      public VectorSchemaRoot next() throws IOException {
        if (r.loadNextBatch()) {
          return r.getVectorSchemaRoot();
        }
        close();
        return null;
      }

      @Override
      public void close() {
        if (open) {
          open = false;
          try {
            r.close();
          } catch (IOException e) {
            throw new SpillException("cannot close a reader of the frame: " + e.getMessage(), e);
          }
        }
      }
    };
  }

  BufferAllocator allocator() {
    if (allocator == null) {
      throw new IllegalStateException("the reader of this frame has no columns and no allocator");
    }
    return allocator;
  }

  /** The batches in memory; a user's reader is loaded into them first. */
  private List<VectorSchemaRoot> loaded() {
    if (batches == null) {
      if (consumed) {
        throw new IllegalStateException(
            "this frame's reader was read by a write already; a"
                + " frame of a reader is read once (call batches() first to keep its rows)");
      }
      List<VectorSchemaRoot> copy = new ArrayList<>();
      try {
        while (source.loadNextBatch()) {
          VectorSchemaRoot from = source.getVectorSchemaRoot();
          List<FieldVector> vectors = new ArrayList<>();
          for (FieldVector v : from.getFieldVectors()) {
            TransferPair t = v.getTransferPair(v.getAllocator());
            t.transfer();
            vectors.add((FieldVector) t.getTo());
          }
          VectorSchemaRoot root =
              new VectorSchemaRoot(from.getSchema().getFields(), vectors, from.getRowCount());
          if (decodes) { // the values in place of the ids, which go
            Dictionaries.Decoded d = Dictionaries.decode(root, schema, source);
            List<FieldVector> kept = new ArrayList<>(d.root().getFieldVectors());
            for (FieldVector v : vectors) {
              if (!kept.contains(v)) {
                v.close();
              }
            }
            root = new VectorSchemaRoot(schema.getFields(), kept, from.getRowCount());
          }
          copy.add(root);
        }
      } catch (IOException | RuntimeException e) {
        copy.forEach(VectorSchemaRoot::close);
        throw new SpillException("cannot read the frame's reader: " + e.getMessage(), e);
      }
      batches = copy;
      consumed = true;
    }
    return batches;
  }

  private void freeInFlight() {
    if (inFlight != null) {
      inFlight.close();
      inFlight = null;
    }
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException("this Arrow frame is closed");
    }
  }

  /** Frees the frame's batches, reader and allocator. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    freeInFlight();
    if (batches != null) {
      batches.forEach(VectorSchemaRoot::close);
    }
    if (source != null) {
      try {
        source.close();
      } catch (IOException | RuntimeException e) {
        failure = new SpillException("cannot close the frame's reader: " + e.getMessage(), e);
      }
    }
    if (ownsAllocator && allocator != null) {
      allocator.close();
    }
    onClose.accept(this);
    if (failure != null) {
      throw failure;
    }
  }
}
