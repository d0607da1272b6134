package io.spill.engine.arrow;

import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Tight loops from a column reader into a fixed-width vector, one per type: the vector is sized
 * first, then each value goes in with an unchecked {@code set}, no converter in between. Types
 * without a loop here (strings, bytes, fixed-length decimals) go through {@link Sinks}.
 */
final class ColumnLoops {
  private ColumnLoops() {}

  /** Fills the next {@code n} values of a column into slots 0..n-1 of a vector. */
  interface Loop {
    void fill(ColumnReader c, FieldVector v, int n, int maxDefinition);
  }

  /** The loop for a column, or null where the generic converter path is used. */
  static Loop of(ArrowType t, PrimitiveType p) {
    PrimitiveTypeName physical = p.getPrimitiveTypeName();
    switch (t.getTypeID()) {
      case Bool:
        return (c, v, n, max) -> {
          BitVector b = sized((BitVector) v, n);
          for (int i = 0; i < n; i++) {
            if (c.getCurrentDefinitionLevel() == max) {
              b.set(i, c.getBoolean() ? 1 : 0);
            } else {
              b.setNull(i);
            }
            c.consume();
          }
        };
      case Int:
        switch (((ArrowType.Int) t).getBitWidth()) {
          case 8:
            return (c, v, n, max) -> {
              TinyIntVector b = sized((TinyIntVector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, (byte) c.getInteger());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            };
          case 16:
            return (c, v, n, max) -> {
              SmallIntVector b = sized((SmallIntVector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, (short) c.getInteger());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            };
          case 32:
            return (c, v, n, max) -> {
              IntVector b = sized((IntVector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, c.getInteger());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            };
          default:
            return (c, v, n, max) -> {
              BigIntVector b = sized((BigIntVector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, c.getLong());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            };
        }
      case FloatingPoint:
        return physical == PrimitiveTypeName.FLOAT
            ? (c, v, n, max) -> {
              Float4Vector b = sized((Float4Vector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, c.getFloat());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            }
            : (c, v, n, max) -> {
              Float8Vector b = sized((Float8Vector) v, n);
              for (int i = 0; i < n; i++) {
                if (c.getCurrentDefinitionLevel() == max) {
                  b.set(i, c.getDouble());
                } else {
                  b.setNull(i);
                }
                c.consume();
              }
            };
      case Date:
        return (c, v, n, max) -> {
          DateDayVector b = sized((DateDayVector) v, n);
          for (int i = 0; i < n; i++) {
            if (c.getCurrentDefinitionLevel() == max) {
              b.set(i, c.getInteger());
            } else {
              b.setNull(i);
            }
            c.consume();
          }
        };
      case Decimal:
        if (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) {
          boolean ints = physical == PrimitiveTypeName.INT32;
          return (c, v, n, max) -> {
            DecimalVector b = sized((DecimalVector) v, n);
            for (int i = 0; i < n; i++) {
              if (c.getCurrentDefinitionLevel() == max) {
                b.set(i, ints ? c.getInteger() : c.getLong());
              } else {
                b.setNull(i);
              }
              c.consume();
            }
          };
        }
        return null;
      case Timestamp:
        if (physical == PrimitiveTypeName.INT96) {
          return (c, v, n, max) -> {
            TimeStampVector b = sized((TimeStampVector) v, n);
            for (int i = 0; i < n; i++) {
              if (c.getCurrentDefinitionLevel() == max) {
                b.set(i, Sinks.int96Micros(c.getBinary()));
              } else {
                b.setNull(i);
              }
              c.consume();
            }
          };
        }
        long factor = p.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS ? 1000 : 1;
        return (c, v, n, max) -> {
          TimeStampVector b = sized((TimeStampVector) v, n);
          for (int i = 0; i < n; i++) {
            if (c.getCurrentDefinitionLevel() == max) {
              b.set(i, c.getLong() * factor);
            } else {
              b.setNull(i);
            }
            c.consume();
          }
        };
      default:
        return null;
    }
  }

  /** The vector with room for at least {@code n} values. */
  private static <V extends BaseFixedWidthVector> V sized(V v, int n) {
    while (v.getValueCapacity() < n) {
      v.reAlloc();
    }
    return v;
  }
}
