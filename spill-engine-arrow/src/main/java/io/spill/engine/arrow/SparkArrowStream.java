package io.spill.engine.arrow;

import io.spill.spi.SpillException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Spark's Arrow form of a Dataset (an IPC stream of record batches) as the batches of an eager
 * frame, in the form {@link ParquetArrowReader} gives the same Dataset read from Spark's Parquet
 * files: an instant's zone is UTC (Spark labels it with the session's zone; the values are the same
 * microseconds since the epoch), and an ANSI interval carries Spark's type in its field's metadata.
 * The buffers move from the stream's vectors into the frame's; nothing is copied.
 */
final class SparkArrowStream {
  private SparkArrowStream() {}

  /** The stream's batches, in the frame form, owned by {@code allocator}; and their schema. */
  record Batches(Schema schema, List<VectorSchemaRoot> batches) {}

  static Batches read(InputStream in, Map<String, String> sparkTypes, BufferAllocator allocator) {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try (ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      VectorSchemaRoot source = reader.getVectorSchemaRoot();
      List<Field> fields = new ArrayList<>();
      for (Field f : source.getSchema().getFields()) {
        fields.add(frameField(f, f.getName(), sparkTypes));
      }
      Schema schema = new Schema(fields);
      while (reader.loadNextBatch()) {
        List<FieldVector> vectors = new ArrayList<>(fields.size());
        try {
          for (int i = 0; i < fields.size(); i++) {
            FieldVector to = fields.get(i).createVector(allocator);
            vectors.add(to);
            source.getVector(i).makeTransferPair(to).transfer();
          }
        } catch (RuntimeException e) {
          vectors.forEach(FieldVector::close);
          throw e;
        }
        batches.add(new VectorSchemaRoot(fields, vectors, source.getRowCount()));
      }
      return new Batches(schema, batches);
    } catch (IOException | RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      if (e instanceof SpillException s) {
        throw s;
      }
      throw new SpillException("cannot read the Arrow batches Spark sent: " + e.getMessage(), e);
    }
  }

  /** {@code f} as a frame read from Spark's Parquet files has it; {@code path} as in ArrowTypes. */
  private static Field frameField(Field f, String path, Map<String, String> sparkTypes) {
    ArrowType type = f.getType();
    if (type instanceof ArrowType.Timestamp ts && ts.getTimezone() != null) {
      type = new ArrowType.Timestamp(TimeUnit.MICROSECOND, ArrowTypes.UTC);
    }
    String sparkType = sparkTypes.getOrDefault(path, "");
    Map<String, String> metadata =
        sparkType.startsWith("interval") ? Map.of(SparkSchemaJson.SPARK_TYPE, sparkType) : null;
    List<Field> children = new ArrayList<>();
    for (Field c : f.getChildren()) {
      String at =
          switch (type.getTypeID()) {
            case List -> path + "[]";
            case Map -> path; // the entries struct: its key and value are at path.key, path.value
            default -> path + "." + c.getName();
          };
      children.add(frameField(c, at, sparkTypes));
    }
    return new Field(
        f.getName(),
        new FieldType(f.isNullable(), type, f.getDictionary(), metadata),
        children.isEmpty() ? null : children);
  }
}
