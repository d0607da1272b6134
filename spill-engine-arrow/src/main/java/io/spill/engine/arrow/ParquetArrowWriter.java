package io.spill.engine.arrow;

import io.spill.spi.ColumnSchema;
import io.spill.spi.SpillException;
import io.spill.spi.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Arrow batches as Parquet files Spark reads: a {@link WriteSupport} that walks the vectors
 * row by row and hands each value to Parquet's record consumer (no row objects), files rolled over
 * at roughly the target size, Snappy-compressed.
 */
final class ParquetArrowWriter {
  private ParquetArrowWriter() {}

  /** The batches to write, one after the other; null at the end. */
  interface Batches extends AutoCloseable {
    VectorSchemaRoot next() throws IOException;

    /** Frees what a write that stopped early leaves open; the default has nothing to free. */
    @Override
    default void close() {}
  }

  /**
   * Writes {@code batches} of {@code schema} into {@code directory}, which must not exist.
   *
   * @param parquet {@code schema} as {@link ArrowTypes#toParquet} maps it (which refuses a column
   *     Spark cannot read)
   */
  static WriteResult write(
      Schema schema, MessageType parquet, Batches batches, Path directory, long targetFileBytes) {
    List<String> files = new ArrayList<>();
    long rows = 0;
    ParquetWriter<Integer> writer = null;
    RowWriter support = new RowWriter(parquet, schema);
    try {
      Files.createDirectories(directory);
      for (VectorSchemaRoot batch = batches.next(); batch != null; batch = batches.next()) {
        if (batch.getRowCount() == 0) {
          continue;
        }
        if (writer == null) {
          writer = open(directory, files, support);
        }
        support.bind(batch);
        for (int i = 0; i < batch.getRowCount(); i++) {
          writer.write(i);
        }
        rows += batch.getRowCount();
        if (writer.getDataSize() >= targetFileBytes) {
          writer.close();
          writer = null;
        }
      }
      if (files.isEmpty()) { // no rows: one file that holds the schema
        writer = open(directory, files, support);
      }
      if (writer != null) {
        writer.close();
      }
    } catch (IOException e) {
      throw new SpillException("cannot write Parquet into " + directory + ": " + e.getMessage(), e);
    }
    List<ColumnSchema> columns =
        schema.getFields().stream().map(f -> new ColumnSchema(f.getName(), describe(f))).toList();
    return new WriteResult(files, rows, columns);
  }

  private static ParquetWriter<Integer> open(Path directory, List<String> files, RowWriter support)
      throws IOException {
    String name = String.format(Locale.ROOT, "part-%05d.parquet", files.size());
    files.add(name);
    return new Builder(new LocalOutputFile(directory.resolve(name)), support)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .build();
  }

  /** A column's Arrow type as the manifest records it, such as {@code list<int32>}. */
  static String describe(Field f) {
    String type = f.getType().toString();
    if (f.getChildren().isEmpty()) {
      return type;
    }
    return type
        + "<"
        + String.join(
            ", ", f.getChildren().stream().map(c -> c.getName() + ": " + describe(c)).toList())
        + ">";
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final RowWriter support;

    Builder(OutputFile file, RowWriter support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    // Deprecated since Parquet 1.14 for a form over ParquetConfiguration, which the Parquet of
    // Spark 3.5 (1.13) does not have; spill runs on both.
    @SuppressWarnings("deprecation")
    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** Writes row {@code i} of the bound batch. */
  static final class RowWriter extends WriteSupport<Integer> {
    private final MessageType parquet;
    private final List<Field> fields;
    private final Map<String, String> footer;
    private final List<ValueWriter> writers = new ArrayList<>();
    private RecordConsumer consumer;

    RowWriter(MessageType parquet, Schema schema) {
      this.parquet = parquet;
      this.fields = schema.getFields();
      // intervals are plain integers in Parquet: Spark reads them as intervals by its schema
      this.footer =
          SparkSchemaJson.needsSparkSchema(schema)
              ? Map.of(SparkSchemaJson.FOOTER_KEY, SparkSchemaJson.of(schema))
              : Map.of();
      for (Field f : fields) {
        writers.add(ValueWriter.of(f));
      }
    }

    void bind(VectorSchemaRoot batch) {
      for (int k = 0; k < writers.size(); k++) {
        writers.get(k).bind(batch.getVector(k));
      }
    }

    // Deprecated since Parquet 1.14, as getWriteSupport(Configuration) above.
    @SuppressWarnings("deprecation")
    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(parquet, footer);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Integer row) {
      int i = row;
      consumer.startMessage();
      for (int k = 0; k < writers.size(); k++) {
        ValueWriter w = writers.get(k);
        if (!w.vector.isNull(i)) {
          String name = fields.get(k).getName();
          consumer.startField(name, k);
          w.write(consumer, i);
          consumer.endField(name, k);
        }
      }
      consumer.endMessage();
    }
  }

  /** Writes one value of a vector; complex writers write their children's. */
  abstract static class ValueWriter {
    FieldVector vector;

    void bind(FieldVector v) {
      vector = v;
    }

    abstract void write(RecordConsumer c, int i);

    static ValueWriter of(Field f) {
      ArrowType t = f.getType();
      switch (t.getTypeID()) {
        case Struct:
          return new StructWriter(f);
        case List:
          return new ListWriter(f, false);
        case Map:
          return new ListWriter(f, true);
        case Bool:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addBoolean(((BitVector) vector).get(i) == 1);
            }
          };
        case Int:
          return ((ArrowType.Int) t).getBitWidth() == 64
              ? new ValueWriter() {
                @Override
                void write(RecordConsumer c, int i) {
                  c.addLong(((BaseIntVector) vector).getValueAsLong(i));
                }
              }
              : new ValueWriter() {
                @Override
                void write(RecordConsumer c, int i) {
                  c.addInteger((int) ((BaseIntVector) vector).getValueAsLong(i));
                }
              };
        case FloatingPoint:
          return ((ArrowType.FloatingPoint) t).getPrecision()
                  == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
              ? new ValueWriter() {
                @Override
                void write(RecordConsumer c, int i) {
                  c.addFloat(((Float4Vector) vector).get(i));
                }
              }
              : new ValueWriter() {
                @Override
                void write(RecordConsumer c, int i) {
                  c.addDouble(((Float8Vector) vector).get(i));
                }
              };
        case Decimal:
          return new DecimalWriter(((ArrowType.Decimal) t).getPrecision());
        case Utf8:
        case Binary:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
              int start = v.getStartOffset(i);
              int length = v.getEndOffset(i) - start;
              c.addBinary(Binary.fromReusedByteBuffer(v.getDataBuffer().nioBuffer(start, length)));
            }
          };
        case FixedSizeBinary:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addBinary(Binary.fromConstantByteArray(((FixedSizeBinaryVector) vector).get(i)));
            }
          };
        case Date:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addInteger(((DateDayVector) vector).get(i));
            }
          };
        case Timestamp:
          {
            TimeUnit unit = ((ArrowType.Timestamp) t).getUnit();
            long factor =
                unit == TimeUnit.SECOND ? 1_000_000 : unit == TimeUnit.MILLISECOND ? 1000 : 1;
            return new ValueWriter() {
              @Override
              void write(RecordConsumer c, int i) {
                c.addLong(Math.multiplyExact(((TimeStampVector) vector).get(i), factor));
              }
            };
          }
        case Time:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addLong(((TimeMicroVector) vector).get(i));
            }
          };
        case Interval:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addInteger(((IntervalYearVector) vector).get(i));
            }
          };
        case Duration:
          return new ValueWriter() {
            @Override
            void write(RecordConsumer c, int i) {
              c.addLong(DurationVector.get(vector.getDataBuffer(), i));
            }
          };
        default:
          throw new IllegalStateException("no writer for " + t); // refused by the schema first
      }
    }
  }

  /** Decimals as Spark writes them: INT32 up to 9 digits, INT64 up to 18, else big-endian bytes. */
  static final class DecimalWriter extends ValueWriter {
    private final int precision;
    private final int bytes;

    DecimalWriter(int precision) {
      this.precision = precision;
      this.bytes = ArrowTypes.decimalBytes(precision);
    }

    @Override
    void write(RecordConsumer c, int i) {
      ArrowBuf data = ((DecimalVector) vector).getDataBuffer();
      long at = (long) i * DecimalVector.TYPE_WIDTH;
      if (precision <= 9) {
        c.addInteger((int) data.getLong(at));
      } else if (precision <= 18) {
        c.addLong(data.getLong(at));
      } else {
        byte[] out = new byte[bytes]; // the low bytes of the little-endian value, reversed
        for (int k = 0; k < bytes; k++) {
          out[k] = data.getByte(at + bytes - 1 - k);
        }
        c.addBinary(Binary.fromConstantByteArray(out));
      }
    }
  }

  /** A struct: a group with each non-null child. */
  static final class StructWriter extends ValueWriter {
    private final List<Field> fields;
    private final List<ValueWriter> children = new ArrayList<>();

    StructWriter(Field f) {
      this.fields = f.getChildren();
      for (Field c : fields) {
        children.add(ValueWriter.of(c));
      }
    }

    @Override
    void bind(FieldVector v) {
      super.bind(v);
      for (int k = 0; k < children.size(); k++) {
        children.get(k).bind((FieldVector) ((StructVector) v).getChildByOrdinal(k));
      }
    }

    @Override
    void write(RecordConsumer c, int i) {
      c.startGroup();
      for (int k = 0; k < children.size(); k++) {
        ValueWriter w = children.get(k);
        if (!w.vector.isNull(i)) {
          String name = fields.get(k).getName();
          c.startField(name, k);
          w.write(c, i);
          c.endField(name, k);
        }
      }
      c.endGroup();
    }
  }

  /**
   * A list (a group holding a repeated group {@code list} of {@code element}) or a map (a group
   * holding a repeated group {@code key_value} of {@code key} and {@code value}).
   */
  static final class ListWriter extends ValueWriter {
    private final boolean map;
    private final ValueWriter element;
    private final ValueWriter key;
    private final ValueWriter value;

    ListWriter(Field f, boolean map) {
      this.map = map;
      Field child = f.getChildren().get(0);
      if (map) {
        element = null;
        key = ValueWriter.of(child.getChildren().get(0));
        value = ValueWriter.of(child.getChildren().get(1));
      } else {
        element = ValueWriter.of(child);
        key = null;
        value = null;
      }
    }

    @Override
    void bind(FieldVector v) {
      super.bind(v);
      FieldVector data = ((ListVector) v).getDataVector();
      if (map) {
        key.bind((FieldVector) ((StructVector) data).getChildByOrdinal(0));
        value.bind((FieldVector) ((StructVector) data).getChildByOrdinal(1));
      } else {
        element.bind(data);
      }
    }

    @Override
    void write(RecordConsumer c, int i) {
      ArrowBuf offsets = ((ListVector) vector).getOffsetBuffer();
      int start = offsets.getInt((long) i * ListVector.OFFSET_WIDTH);
      int end = offsets.getInt((long) (i + 1) * ListVector.OFFSET_WIDTH);
      c.startGroup();
      if (end > start) {
        String repeated = map ? "key_value" : "list";
        c.startField(repeated, 0);
        for (int j = start; j < end; j++) {
          c.startGroup();
          if (map) {
            c.startField("key", 0);
            key.write(c, j);
            c.endField("key", 0);
            if (!value.vector.isNull(j)) {
              c.startField("value", 1);
              value.write(c, j);
              c.endField("value", 1);
            }
          } else if (!element.vector.isNull(j)) {
            c.startField("element", 0);
            element.write(c, j);
            c.endField("element", 0);
          }
          c.endGroup();
        }
        c.endField(repeated, 0);
      }
      c.endGroup();
    }
  }
}
