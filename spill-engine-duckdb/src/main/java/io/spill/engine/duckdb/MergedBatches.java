package io.spill.engine.duckdb;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * The batches of another reader, consecutive ones merged (in order) into batches of at least {@link
 * #TARGET_ROWS} rows, the last one smaller. Spark encodes batches of {@code
 * spark.sql.execution.arrow.maxRecordsPerBatch} rows, 10,000 by default, and DuckDB's scan of an
 * Arrow stream pays a cost per batch: fewer, larger batches load faster (1M rows of 10 columns:
 * about 0.10 s in batches of 131,072 rows against 0.20 to 0.30 s in batches of 10,000, measured on
 * a 2-core machine), for one copy of the rows in Java. Closing this reader closes the other.
 */
final class MergedBatches extends ArrowReader {
  /** Rows per merged batch, at least: 60 of DuckDB's vectors of 2,048 rows. */
  static final int TARGET_ROWS = 60 * 2048;

  private final ArrowReader source;
  private final int targetRows;

  MergedBatches(ArrowReader source, BufferAllocator allocator) {
    this(source, allocator, TARGET_ROWS);
  }

  MergedBatches(ArrowReader source, BufferAllocator allocator, int targetRows) {
    super(allocator);
    if (targetRows < 1) {
      throw new IllegalArgumentException("targetRows must be positive, got " + targetRows);
    }
    this.source = source;
    this.targetRows = targetRows;
  }

  @Override
  protected Schema readSchema() throws IOException {
    return source.getVectorSchemaRoot().getSchema();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (!source.loadNextBatch()) {
      return false;
    }
    VectorSchemaRoot merged = getVectorSchemaRoot();
    merged.clear(); // what a consumer took of the previous batch, it holds references to
    for (FieldVector v : merged.getFieldVectors()) {
      v.setInitialCapacity(targetRows);
    }
    merged.allocateNew(); // appending needs buffers to append to: an offset buffer's first 0
    do {
      VectorSchemaRootAppender.append(false, merged, source.getVectorSchemaRoot());
    } while (merged.getRowCount() < targetRows && source.loadNextBatch());
    return true;
  }

  @Override
  public long bytesRead() {
    return source.bytesRead();
  }

  @Override
  protected void closeReadSource() throws IOException {
    source.close();
  }
}
