package io.spill.spark;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The text of {@link SparkFrames#glimpse}. */
final class Glimpse {
  private static final int MAX_NAME = 32;

  private Glimpse() {}

  static String render(StructType schema, long rows, List<Row> sample, int width) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Rows: %,d%nColumns: %,d", rows, schema.size()));
    StructField[] fields = schema.fields();
    int nameWidth = 0;
    int typeWidth = 0;
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (StructField f : fields) {
      String name =
          f.name().length() > MAX_NAME ? f.name().substring(0, MAX_NAME - 1) + "…" : f.name();
      String type = "<" + f.dataType().simpleString() + ">";
      names.add(name);
      types.add(type);
      nameWidth = Math.max(nameWidth, name.length());
      typeWidth = Math.max(typeWidth, Math.min(type.length(), 24));
    }
    for (int i = 0; i < fields.length; i++) {
      StringBuilder line = new StringBuilder("$ ");
      line.append(pad(names.get(i), nameWidth)).append(' ').append(pad(types.get(i), typeWidth));
      String sep = " ";
      for (Row r : sample) {
        line.append(sep).append(value(r.get(i), fields[i].dataType()));
        sep = ", ";
        if (line.length() > width) {
          break;
        }
      }
      out.append(System.lineSeparator()).append(cut(line.toString(), width));
    }
    return out.toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String cut(String line, int width) {
    return line.length() <= width ? line : line.substring(0, width - 1) + "…";
  }

  /** A readable rendering of one value of type {@code type}. */
  static String value(Object v, DataType type) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof byte[] b) {
      String hex = HexFormat.of().formatHex(b, 0, Math.min(b.length, 16));
      return "0x" + hex + (b.length > 16 ? "…" : "");
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Row r && type instanceof StructType s) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < s.size(); i++) {
        b.append(i == 0 ? "" : ", ")
            .append(s.fields()[i].name())
            .append(": ")
            .append(value(r.get(i), s.fields()[i].dataType()));
      }
      return b.append('}').toString();
    }
    if (v instanceof scala.collection.Map<?, ?> m && type instanceof MapType mt) {
      StringBuilder b = new StringBuilder("{");
      var it = m.iterator();
      String sep = "";
      while (it.hasNext()) {
        scala.Tuple2<?, ?> e = it.next();
        b.append(sep)
            .append(value(e._1(), mt.keyType()))
            .append(": ")
            .append(value(e._2(), mt.valueType()));
        sep = ", ";
      }
      return b.append('}').toString();
    }
    if (v instanceof scala.collection.Iterable<?> seq && type instanceof ArrayType at) {
      StringBuilder b = new StringBuilder("[");
      var it = seq.iterator();
      String sep = "";
      while (it.hasNext()) {
        b.append(sep).append(value(it.next(), at.elementType()));
        sep = ", ";
      }
      return b.append(']').toString();
    }
    return String.valueOf(v);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                  if (Character.isISOControl(c)) {
                    b.append(String.format("\\u%04x", c));
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.append('"').toString();
  }
}
