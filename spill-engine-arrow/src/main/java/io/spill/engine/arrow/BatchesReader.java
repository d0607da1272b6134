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

/** A reader over batches in memory: each batch is loaded into the reader's root, no copy. */
final class BatchesReader extends ArrowReader {
  private final Schema schema;
  private final List<VectorSchemaRoot> batches;
  private final boolean owns;
  private int next;

  /**
   * @param owns whether closing the reader closes the batches too
   */
  BatchesReader(
      BufferAllocator allocator, Schema schema, List<VectorSchemaRoot> batches, boolean owns) {
    super(allocator);
    this.schema = schema;
    this.batches = batches;
    this.owns = owns;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    if (next >= batches.size()) {
      getVectorSchemaRoot().setRowCount(0);
      return false;
    }
    try (ArrowRecordBatch batch = new VectorUnloader(batches.get(next++)).getRecordBatch()) {
      new VectorLoader(getVectorSchemaRoot()).load(batch);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    if (owns) {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
