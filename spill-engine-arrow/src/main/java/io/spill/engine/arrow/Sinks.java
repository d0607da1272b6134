package io.spill.engine.arrow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Parquet converters that append values straight into Arrow vectors, one sink per vector: the
 * record-materialisation API of parquet-column (as parquet-avro builds Avro records), with no row
 * objects in between. A sink counts the slots it has filled; a group fills a null into every child
 * the record did not reach, so nulls land at every level. Sinks live as long as the column readers
 * that call them, and are bound to the vectors of each new batch.
 */
final class Sinks {
  private Sinks() {}

  /** A converter filling one vector. */
  interface Sink {
    /** The slots filled since the last {@link #bind}. */
    int count();

    /** Fills a null into the next slot (and into the children's, for a struct). */
    void appendNull();

    Converter converter();

    /** Fills from slot 0 of {@code vector} (of this sink's type) on. */
    void bind(FieldVector vector);
  }

  /** The sink for a vector of {@code field}, read from the Parquet {@code type}. */
  static Sink of(Field field, Type type) {
    ArrowType t = field.getType();
    switch (t.getTypeID()) {
      case Struct:
        {
          GroupType g = type.asGroupType();
          List<Sink> children = new ArrayList<>();
          for (int i = 0; i < field.getChildren().size(); i++) {
            children.add(of(field.getChildren().get(i), g.getType(i)));
          }
          return new StructSink(children);
        }
      case List:
        {
          Type repeated = type.asGroupType().getType(0);
          Field elementField = field.getChildren().get(0);
          if (ArrowTypes.isElementWrapper(repeated, type.getName())) {
            Sink element = of(elementField, repeated.asGroupType().getType(0));
            return new ListSink(element, new ElementGroup(element));
          }
          Sink element = of(elementField, repeated);
          return new ListSink(element, element.converter());
        }
      case Map:
        {
          GroupType kv = type.asGroupType().getType(0).asGroupType();
          Field entries = field.getChildren().get(0);
          StructSink entrySink =
              new StructSink(
                  List.of(
                      of(entries.getChildren().get(0), kv.getType(0)),
                      of(entries.getChildren().get(1), kv.getType(1))));
          return new ListSink(entrySink, entrySink);
        }
      default:
        return primitive(t, type.asPrimitiveType());
    }
  }

  /**
   * An unsigned integer, widened as Spark reads it: UINT_8 to a short, UINT_16 to an int, UINT_32
   * to a long, UINT_64 to a decimal(20,0). Parquet stores UINT_32 and UINT_64 in signed types, so
   * their high values arrive negative and are read back as unsigned.
   */
  private static Sink unsigned(int bits) {
    return switch (bits) {
      case 8 ->
          new Prim<SmallIntVector>() {
            @Override
            public void addInt(int value) {
              vector.setSafe(count++, (short) (value & 0xFF));
            }
          };
      case 16 ->
          new Prim<IntVector>() {
            @Override
            public void addInt(int value) {
              vector.setSafe(count++, value & 0xFFFF);
            }
          };
      case 32 ->
          new Prim<BigIntVector>() {
            @Override
            public void addInt(int value) {
              vector.setSafe(count++, Integer.toUnsignedLong(value));
            }
          };
      default ->
          new Prim<DecimalVector>() {
            @Override
            public void addLong(long value) {
              vector.setSafe(count++, new java.math.BigDecimal(Long.toUnsignedString(value)));
            }
          };
    };
  }

  private static Sink primitive(ArrowType t, PrimitiveType p) {
    if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation u
        && !u.isSigned()) {
      return unsigned(u.getBitWidth());
    }
    switch (t.getTypeID()) {
      case Bool:
        return new Prim<BitVector>() {
          @Override
          public void addBoolean(boolean value) {
            vector.setSafe(count++, value ? 1 : 0);
          }
        };
      case Int:
        switch (((ArrowType.Int) t).getBitWidth()) {
          case 8:
            return new Prim<TinyIntVector>() {
              @Override
              public void addInt(int value) {
                vector.setSafe(count++, (byte) value);
              }
            };
          case 16:
            return new Prim<SmallIntVector>() {
              @Override
              public void addInt(int value) {
                vector.setSafe(count++, (short) value);
              }
            };
          case 32:
            return new Prim<IntVector>() {
              @Override
              public void addInt(int value) {
                vector.setSafe(count++, value);
              }
            };
          default:
            return new Prim<BigIntVector>() {
              @Override
              public void addLong(long value) {
                vector.setSafe(count++, value);
              }
            };
        }
      case FloatingPoint:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.FLOAT
            ? new Prim<Float4Vector>() {
              @Override
              public void addFloat(float value) {
                vector.setSafe(count++, value);
              }
            }
            : new Prim<Float8Vector>() {
              @Override
              public void addDouble(double value) {
                vector.setSafe(count++, value);
              }
            };
      case Decimal:
        return new Prim<DecimalVector>() {
          @Override
          public void addInt(int value) {
            vector.setSafe(count++, value);
          }

          @Override
          public void addLong(long value) {
            vector.setSafe(count++, value);
          }

          @Override
          public void addBinary(Binary value) {
            vector.setBigEndianSafe(count++, value.getBytesUnsafe());
          }
        };
      case Date:
        return new Prim<DateDayVector>() {
          @Override
          public void addInt(int value) {
            vector.setSafe(count++, value);
          }
        };
      case Timestamp:
        if (p.getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
          return new Prim<TimeStampVector>() {
            @Override
            public void addBinary(Binary value) {
              vector.setSafe(count++, int96Micros(value));
            }
          };
        }
        long factor =
            p.getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                    && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS
                ? 1000
                : 1;
        return new Prim<TimeStampVector>() {
          @Override
          public void addLong(long value) {
            vector.setSafe(count++, value * factor);
          }
        };
      case Time:
        return new Prim<org.apache.arrow.vector.TimeMicroVector>() {
          @Override
          public void addLong(long value) {
            vector.setSafe(count++, value);
          }
        };
      case Interval:
        return new Prim<org.apache.arrow.vector.IntervalYearVector>() {
          @Override
          public void addInt(int value) {
            vector.setSafe(count++, value);
          }
        };
      case Duration:
        return new Prim<org.apache.arrow.vector.DurationVector>() {
          @Override
          public void addLong(long value) {
            vector.setSafe(count++, value);
          }
        };
      case Utf8:
      case Binary:
        return new VariableWidthSink();
      case FixedSizeBinary:
        return new Prim<FixedSizeBinaryVector>() {
          @Override
          public void addBinary(Binary value) {
            vector.setSafe(count++, value.getBytesUnsafe());
          }
        };
      default:
        throw new IllegalStateException("no sink for " + t);
    }
  }

  /**
   * An INT96 timestamp (nanoseconds of the day, then the Julian day, both little-endian) as
   * microseconds since the epoch, as Spark reads it.
   */
  static long int96Micros(Binary value) {
    byte[] b = value.getBytesUnsafe();
    long nanosOfDay = 0;
    for (int k = 7; k >= 0; k--) {
      nanosOfDay = nanosOfDay << 8 | (b[k] & 0xFF);
    }
    int julianDay = (b[8] & 0xFF) | (b[9] & 0xFF) << 8 | (b[10] & 0xFF) << 16 | b[11] << 24;
    return int96Micros(nanosOfDay, julianDay);
  }

  /**
   * An INT96 timestamp's two parts as microseconds since the epoch, computed as Spark computes them
   * (the day difference in int arithmetic, wrapping long arithmetic, truncating division), so that
   * even a value that overflows reads as Spark reads it.
   */
  static long int96Micros(long nanosOfDay, int julianDay) {
    return (long) (julianDay - 2_440_588) * 86_400_000_000L + nanosOfDay / 1000L;
  }

  /** Every entry of a binary dictionary as bytes, decoded once per column chunk. */
  static byte[][] bytes(Dictionary d) {
    byte[][] all = new byte[d.getMaxId() + 1][];
    for (int i = 0; i <= d.getMaxId(); i++) {
      all[i] = d.decodeToBinary(i).getBytes();
    }
    return all;
  }

  /** Fills a null into slot {@code slot} of each child that the record did not reach. */
  private static void nullsWhereNotReached(List<Sink> children, int slot) {
    for (Sink c : children) {
      if (c.count() == slot) {
        c.appendNull();
      }
    }
  }

  /** A primitive sink; subclasses override the one {@code add} method their type needs. */
  abstract static class Prim<V extends FieldVector> extends PrimitiveConverter implements Sink {
    V vector;
    int count;

    @Override
    public int count() {
      return count;
    }

    @Override
    public void appendNull() {
      vector.setNull(count++);
    }

    @Override
    public Converter converter() {
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void bind(FieldVector v) {
      vector = (V) v;
      count = 0;
    }
  }

  /** Strings and bytes, with the column chunk's dictionary decoded once. */
  static final class VariableWidthSink extends Prim<BaseVariableWidthVector> {
    private byte[][] dictionary;

    @Override
    public boolean hasDictionarySupport() {
      return true;
    }

    @Override
    public void setDictionary(Dictionary d) {
      dictionary = bytes(d);
    }

    @Override
    public void addValueFromDictionary(int id) {
      byte[] bytes = dictionary[id];
      vector.setSafe(count++, bytes, 0, bytes.length);
    }

    @Override
    public void addBinary(Binary value) {
      ByteBuffer b = value.toByteBuffer();
      vector.setSafe(count++, b, b.position(), b.remaining());
    }
  }

  /** A struct (or a map's entry, or the whole record): nulls into the children not reached. */
  static final class StructSink extends GroupConverter implements Sink {
    private final List<Sink> children;
    private StructVector vector;
    private int count;

    StructSink(List<Sink> children) {
      this.children = children;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children.get(fieldIndex).converter();
    }

    @Override
    public void start() {}

    @Override
    public void end() {
      nullsWhereNotReached(children, count);
      vector.setIndexDefined(count++);
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public void appendNull() {
      for (Sink c : children) {
        c.appendNull();
      }
      vector.setNull(count++);
    }

    @Override
    public Converter converter() {
      return this;
    }

    @Override
    public void bind(FieldVector v) {
      vector = (StructVector) v;
      count = 0;
      for (int i = 0; i < children.size(); i++) {
        children.get(i).bind((FieldVector) vector.getChildByOrdinal(i));
      }
    }
  }

  /** A list or a map: offsets around the element sink's slots. */
  static final class ListSink extends GroupConverter implements Sink {
    private final Sink element;
    private final Converter repeated;
    private ListVector vector;
    private int count;
    private int start;

    ListSink(Sink element, Converter repeated) {
      this.element = element;
      this.repeated = repeated;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return repeated;
    }

    @Override
    public void start() {
      start = element.count();
      vector.startNewValue(count);
    }

    @Override
    public void end() {
      vector.endValue(count++, element.count() - start);
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public void appendNull() {
      vector.setNull(count++);
    }

    @Override
    public Converter converter() {
      return this;
    }

    @Override
    public void bind(FieldVector v) {
      vector = (ListVector) v;
      count = 0;
      element.bind(vector.getDataVector());
    }
  }

  /** The repeated group of a three-level list: a null element where the group held none. */
  static final class ElementGroup extends GroupConverter {
    private final Sink element;
    private int mark;

    ElementGroup(Sink element) {
      this.element = element;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return element.converter();
    }

    @Override
    public void start() {
      mark = element.count();
    }

    @Override
    public void end() {
      if (element.count() == mark) {
        element.appendNull();
      }
    }
  }

  /** The record: one slot per row in each top-level sink. */
  static final class RecordSink extends GroupConverter {
    private final List<Sink> fields;
    private int rows;

    RecordSink(List<Sink> fields) {
      this.fields = fields;
    }

    void bind(List<FieldVector> vectors) {
      rows = 0;
      for (int i = 0; i < fields.size(); i++) {
        fields.get(i).bind(vectors.get(i));
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return fields.get(fieldIndex).converter();
    }

    @Override
    public void start() {}

    @Override
    public void end() {
      nullsWhereNotReached(fields, rows);
      rows++;
    }
  }
}
