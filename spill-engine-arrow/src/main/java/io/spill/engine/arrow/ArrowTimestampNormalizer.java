package io.spill.engine.arrow;

import io.spill.spi.PrecisionLossException;
import io.spill.spi.SpillException;
import io.spill.spi.TimestampNormalizer;
import io.spill.spi.TimestampPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Turns nanosecond timestamps (at the top level and inside structs, lists and maps) into
 * microseconds, keeping a zone where there is one. Nanosecond and microsecond vectors share their
 * layout, so each batch is unloaded, the data buffer of each nanosecond column is replaced by a
 * divided copy, and the buffers are loaded into a batch of the new schema: every other buffer is
 * shared, not copied.
 */
final class ArrowTimestampNormalizer implements TimestampNormalizer<ArrowFrame> {
  private final Function<BufferAllocator, BufferAllocator> childOf;
  private final FrameFactory frames;

  /** Makes the eager frame that holds the normalized batches. */
  interface FrameFactory {
    ArrowFrame eager(Schema schema, BufferAllocator allocator, List<VectorSchemaRoot> batches);
  }

  ArrowTimestampNormalizer(
      Function<BufferAllocator, BufferAllocator> childOf, FrameFactory frames) {
    this.childOf = childOf;
    this.frames = frames;
  }

  @Override
  public ArrowFrame normalize(ArrowFrame frame, TimestampPolicy policy) {
    Schema schema = frame.schema();
    if (schema.getFields().stream().noneMatch(ArrowTimestampNormalizer::hasNanos)) {
      return frame;
    }
    Schema target =
        new Schema(schema.getFields().stream().map(ArrowTimestampNormalizer::micros).toList());
    BufferAllocator allocator = childOf.apply(frame.allocator());
    List<VectorSchemaRoot> out = new ArrayList<>();
    try (ArrowReader reader = frame.reader()) {
      while (reader.loadNextBatch()) {
        out.add(convert(reader.getVectorSchemaRoot(), target, allocator, policy));
      }
    } catch (IOException | RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      allocator.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new SpillException("cannot read the frame to normalize it: " + e.getMessage(), e);
    }
    return frames.eager(target, allocator, out);
  }

  private static boolean hasNanos(Field f) {
    return (f.getType() instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.NANOSECOND)
        || f.getChildren().stream().anyMatch(ArrowTimestampNormalizer::hasNanos);
  }

  private static Field micros(Field f) {
    ArrowType type =
        f.getType() instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.NANOSECOND
            ? new ArrowType.Timestamp(TimeUnit.MICROSECOND, t.getTimezone())
            : f.getType();
    return new Field(
        f.getName(),
        new FieldType(f.isNullable(), type, f.getFieldType().getDictionary(), f.getMetadata()),
        f.getChildren().stream().map(ArrowTimestampNormalizer::micros).toList());
  }

  private static VectorSchemaRoot convert(
      VectorSchemaRoot in, Schema target, BufferAllocator allocator, TimestampPolicy policy) {
    List<ArrowBuf> made = new ArrayList<>();
    try (ArrowRecordBatch batch = new VectorUnloader(in).getRecordBatch()) {
      List<ArrowBuf> buffers = new ArrayList<>(batch.getBuffers());
      int[] at = {0, 0}; // node, buffer
      for (Field f : in.getSchema().getFields()) {
        walk(f, f.getName(), batch.getNodes(), buffers, at, allocator, policy, made);
      }
      VectorSchemaRoot out = VectorSchemaRoot.create(target, allocator);
      try (ArrowRecordBatch replaced =
          new ArrowRecordBatch(batch.getLength(), batch.getNodes(), buffers)) {
        new VectorLoader(out).load(replaced);
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
      return out;
    } finally {
      made.forEach(ArrowBuf::close); // the loaded vectors hold their own references
    }
  }

  private static void walk(
      Field f,
      String path,
      List<ArrowFieldNode> nodes,
      List<ArrowBuf> buffers,
      int[] at,
      BufferAllocator allocator,
      TimestampPolicy policy,
      List<ArrowBuf> made) {
    int node = at[0]++;
    int first = at[1];
    at[1] += TypeLayout.getTypeBufferCount(f.getType());
    if (f.getType() instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.NANOSECOND) {
      int length = nodes.get(node).getLength();
      ArrowBuf validity = buffers.get(first);
      ArrowBuf data = buffers.get(first + 1);
      ArrowBuf micros = allocator.buffer(Math.max(8L, length * 8L));
      made.add(micros);
      for (int j = 0; j < length; j++) {
        long nanos = data.getLong(j * 8L);
        boolean valid = validity.capacity() <= j / 8 || BitVectorHelper.get(validity, j) == 1;
        if (valid && policy == TimestampPolicy.FAIL_ON_PRECISION_LOSS && nanos % 1000 != 0) {
          throw new PrecisionLossException(
              "column '"
                  + path
                  + "' holds "
                  + nanos
                  + " ns, which has digits below the microsecond that Spark cannot hold; round it,"
                  + " or use TimestampPolicy.TRUNCATE");
        }
        micros.setLong(j * 8L, Math.floorDiv(nanos, 1000L));
      }
      buffers.set(first + 1, micros);
    }
    for (Field c : f.getChildren()) {
      walk(c, path + "." + c.getName(), nodes, buffers, at, allocator, policy, made);
    }
  }
}
