package io.spill.engine.arrow;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** An {@link ArrowReader} over batches a test built, as a user's own reader would be. */
final class TestBatches extends ArrowReader {
  private final Schema schema;
  private final List<VectorSchemaRoot> batches;
  private int next;

  /** Reads {@code batches} (which it then owns and closes) of {@code schema}. */
  TestBatches(BufferAllocator allocator, Schema schema, List<VectorSchemaRoot> batches) {
    super(allocator);
    this.schema = schema;
    this.batches = batches;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    if (next == batches.size()) {
      return false;
    }
    try (ArrowRecordBatch b = new VectorUnloader(batches.get(next++)).getRecordBatch()) {
      new VectorLoader(getVectorSchemaRoot()).load(b);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    batches.forEach(VectorSchemaRoot::close);
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
