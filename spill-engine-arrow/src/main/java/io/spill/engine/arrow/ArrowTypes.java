package io.spill.engine.arrow;

import io.spill.spi.SpillException;
import io.spill.spi.UnsupportedColumnTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The mapping between Parquet and Arrow types, both ways.
 *
 * <p>Reading: every type Spark writes maps to its Arrow counterpart; a Spark {@code TIMESTAMP}
 * (INT96, or INT64 {@code TIMESTAMP(MILLIS|MICROS, true)}) becomes {@code Timestamp(MICRO, UTC)}, a
 * {@code TIMESTAMP_NTZ} ({@code isAdjustedToUTC=false}) {@code Timestamp(MICRO)} without a zone;
 * three-level and two-level lists become {@code List}, {@code MAP} groups {@code Map}. {@code
 * TIME(MICROS)} (Spark's {@code TIME}) becomes {@code Time(MICRO, 64)}. Spark writes its ANSI
 * intervals as plain INT32 months or INT64 microseconds; where the Spark schema the files came with
 * says so, they become {@code Interval(YEAR_MONTH)} and {@code Duration(MICRO)}, the types Spark's
 * own Arrow conversion uses.
 *
 * <p>Writing: the Arrow types Spark can read are written as Spark writes them (timestamps as INT64
 * microseconds, decimals as INT32, INT64 or fixed-length bytes by precision, standard three-level
 * lists and maps, {@code Time(MICRO)} as {@code TIME(MICROS)}); intervals as Spark writes them,
 * with the Spark schema in the footer (see {@link SparkSchemaJson}) so that Spark reads them as
 * intervals again; any other type is refused before anything is written, naming the column and what
 * to cast it to.
 */
final class ArrowTypes {
  static final String UTC = "UTC";

  private ArrowTypes() {}

  // ---------------------------------------------------------------------------------------------
  // Parquet -> Arrow

  /**
   * The Arrow schema of {@code parquet}; {@code sparkTypes} maps leaf paths ({@code a.b}, {@code
   * a[]}, {@code m.key}, {@code m.value}) to the Spark type that wrote them, in Spark's SQL names,
   * and may be empty.
   */
  static Schema toArrow(MessageType parquet, Map<String, String> sparkTypes) {
    List<Field> fields = new ArrayList<>();
    for (Type t : parquet.getFields()) {
      fields.add(field(t, t.getName(), sparkTypes));
    }
    return new Schema(fields);
  }

  private static Field field(Type t, String path, Map<String, String> sparkTypes) {
    boolean nullable = !t.isRepetition(Type.Repetition.REQUIRED);
    if (t.isRepetition(Type.Repetition.REPEATED)) {
      throw new SpillException(
          "column "
              + path
              + " is a repeated field outside a LIST group,"
              + " a layout Spark does not write; spill does not read it");
    }
    if (t.isPrimitive()) {
      String sparkType = sparkTypes.getOrDefault(path, "");
      ArrowType type = primitive(t.asPrimitiveType(), path, sparkType);
      // An interval's fields (HOUR, DAY TO MINUTE, YEAR, ...) are not in Arrow's type: keep
      // Spark's, so that Spark reads back the interval type it wrote.
      Map<String, String> metadata =
          sparkType.startsWith("interval") ? Map.of(SparkSchemaJson.SPARK_TYPE, sparkType) : null;
      return new Field(t.getName(), new FieldType(nullable, type, null, metadata), null);
    }
    GroupType g = t.asGroupType();
    LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && g.getFieldCount() == 1
        && g.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      Type repeated = g.getType(0);
      Field element =
          isElementWrapper(repeated, g.getName())
              ? field(repeated.asGroupType().getType(0), path + "[]", sparkTypes)
              : field(required(repeated), path + "[]", sparkTypes);
      return new Field(
          t.getName(), new FieldType(nullable, ArrowType.List.INSTANCE, null), List.of(element));
    }
    if ((a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && g.getFieldCount() == 1
        && !g.getType(0).isPrimitive()
        && g.getType(0).asGroupType().getFieldCount() == 2) {
      GroupType kv = g.getType(0).asGroupType();
      Field key = field(required(kv.getType(0)), path + ".key", sparkTypes);
      Field value = field(kv.getType(1), path + ".value", sparkTypes);
      Field entries =
          new Field(
              "entries",
              FieldType.notNullable(ArrowType.Struct.INSTANCE),
              List.of(rename(key, "key"), rename(value, "value")));
      return new Field(
          t.getName(), new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
    }
    List<Field> children = new ArrayList<>();
    for (Type c : g.getFields()) {
      children.add(field(c, path + "." + c.getName(), sparkTypes));
    }
    return new Field(
        t.getName(), new FieldType(nullable, ArrowType.Struct.INSTANCE, null), children);
  }

  /**
   * Whether the repeated field of a LIST group wraps the element (three-level) rather than being it
   * (two-level), following the Parquet format's backward-compatibility rules.
   */
  static boolean isElementWrapper(Type repeated, String listName) {
    if (repeated.isPrimitive()) {
      return false;
    }
    GroupType r = repeated.asGroupType();
    return r.getFieldCount() == 1
        && !r.getName().equals("array")
        && !r.getName().equals(listName + "_tuple");
  }

  private static Type required(Type t) {
    return t.isPrimitive()
        ? Types.required(t.asPrimitiveType().getPrimitiveTypeName())
            .as(t.getLogicalTypeAnnotation())
            .length(t.asPrimitiveType().getTypeLength())
            .named(t.getName())
        : Types.requiredGroup()
            .as(t.getLogicalTypeAnnotation())
            .addFields(t.asGroupType().getFields().toArray(new Type[0]))
            .named(t.getName());
  }

  private static Field rename(Field f, String name) {
    return new Field(name, f.getFieldType(), f.getChildren());
  }

  private static ArrowType primitive(PrimitiveType p, String path, String sparkType) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    if (a instanceof DecimalLogicalTypeAnnotation d) {
      if (d.getPrecision() > 38) {
        throw new SpillException(
            "column "
                + path
                + " is DECIMAL("
                + d.getPrecision()
                + ", "
                + d.getScale()
                + "), wider than Arrow's 128-bit decimals spill reads");
      }
      return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
    }
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case INT32:
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return new ArrowType.Date(DateUnit.DAY);
        }
        if (a instanceof IntLogicalTypeAnnotation i) {
          if (!i.isSigned()) { // as Spark reads them: the next wider signed type
            return new ArrowType.Int(i.getBitWidth() == 32 ? 64 : i.getBitWidth() * 2, true);
          }
          return new ArrowType.Int(i.getBitWidth(), true);
        }
        if (a != null) {
          throw new SpillException(
              "column "
                  + path
                  + " has the Parquet type INT32 "
                  + a
                  + ", which spill does not read");
        }
        if (sparkType.startsWith("interval year") || sparkType.startsWith("interval month")) {
          return new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
        }
        return new ArrowType.Int(32, true);
      case INT64:
        if (a instanceof TimestampLogicalTypeAnnotation ts) {
          String zone = ts.isAdjustedToUTC() ? UTC : null;
          return ts.getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS
              ? new ArrowType.Timestamp(TimeUnit.NANOSECOND, zone)
              : new ArrowType.Timestamp(TimeUnit.MICROSECOND, zone);
        }
        if (a instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
          return new ArrowType.Decimal(20, 0, 128); // as Spark reads UINT_64: decimal(20,0)
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation time
            && time.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS) {
          return new ArrowType.Time(TimeUnit.MICROSECOND, 64);
        }
        if (a != null && !(a instanceof IntLogicalTypeAnnotation)) {
          throw new SpillException(
              "column "
                  + path
                  + " has the Parquet type INT64 "
                  + a
                  + ", which spill does not read");
        }
        if (a == null && sparkType.startsWith("interval")) {
          return new ArrowType.Duration(TimeUnit.MICROSECOND);
        }
        return new ArrowType.Int(64, true);
      case INT96:
        return new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
      case FLOAT:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BINARY:
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return ArrowType.Utf8.INSTANCE;
        }
        // GEOMETRY, GEOGRAPHY, BSON, ...: only bytes to Arrow, a type of its own to Spark
        if (a != null) {
          throw annotated(path, p, a);
        }
        return ArrowType.Binary.INSTANCE;
      case FIXED_LEN_BYTE_ARRAY:
        if (a != null) { // FLOAT16, UUID, INTERVAL
          throw annotated(path, p, a);
        }
        return new ArrowType.FixedSizeBinary(p.getTypeLength());
      default:
        throw new SpillException(
            "column " + path + " has the Parquet type " + p + ", which spill does not read");
    }
  }

  private static SpillException annotated(String path, PrimitiveType p, LogicalTypeAnnotation a) {
    String shown = a.toString();
    return new SpillException(
        "column "
            + path
            + " has the Parquet type "
            + p.getPrimitiveTypeName()
            + " "
            + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown)
            + ", which the Arrow engine would carry only as its bytes; convert it where it was"
            + " written, or in Spark (for example to text), before handing it to the engine");
  }

  // ---------------------------------------------------------------------------------------------
  // Arrow -> Parquet

  /**
   * The Parquet schema spill writes for {@code schema}.
   *
   * @throws UnsupportedColumnTypeException for a type Spark cannot read, naming the column
   */
  static MessageType toParquet(Schema schema) {
    List<Type> fields = new ArrayList<>();
    for (Field f : schema.getFields()) {
      fields.add(parquet(f, f.getName()));
    }
    return new MessageType("spark_schema", fields);
  }

  private static Type parquet(Field f, String path) {
    Type.Repetition rep = f.isNullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    ArrowType t = f.getType();
    switch (t.getTypeID()) {
      case Struct:
        {
          if (f.getChildren().isEmpty()) {
            throw refused(path, t, "a struct without fields; Spark cannot read an empty group");
          }
          List<Type> children = new ArrayList<>();
          for (Field c : f.getChildren()) {
            children.add(parquet(c, path + "." + c.getName()));
          }
          return new GroupType(rep, f.getName(), children);
        }
      case List:
        {
          Field element = f.getChildren().get(0);
          Type e =
              parquet(
                  new Field("element", element.getFieldType(), element.getChildren()),
                  path + ".element");
          return Types.buildGroup(rep)
              .as(LogicalTypeAnnotation.listType())
              .addField(Types.repeatedGroup().addField(e).named("list"))
              .named(f.getName());
        }
      case Map:
        {
          Field entries = f.getChildren().get(0);
          Field key = entries.getChildren().get(0);
          Field value = entries.getChildren().get(1);
          Type k =
              parquet(
                  new Field("key", FieldType.notNullable(key.getType()), key.getChildren()),
                  path + ".key");
          Type v =
              parquet(
                  new Field("value", value.getFieldType(), value.getChildren()), path + ".value");
          return Types.buildGroup(rep)
              .as(LogicalTypeAnnotation.mapType())
              .addField(Types.repeatedGroup().addField(k).addField(v).named("key_value"))
              .named(f.getName());
        }
      case Bool:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(f.getName());
      case Int:
        {
          ArrowType.Int i = (ArrowType.Int) t;
          if (!i.getIsSigned()) {
            throw refused(path, t, "an unsigned integer; cast it to a signed type twice as wide");
          }
          return i.getBitWidth() == 64
              ? Types.primitive(PrimitiveTypeName.INT64, rep).named(f.getName())
              : Types.primitive(PrimitiveTypeName.INT32, rep)
                  .as(
                      i.getBitWidth() == 32
                          ? null
                          : LogicalTypeAnnotation.intType(i.getBitWidth(), true))
                  .named(f.getName());
        }
      case FloatingPoint:
        {
          FloatingPointPrecision p = ((ArrowType.FloatingPoint) t).getPrecision();
          if (p == FloatingPointPrecision.HALF) {
            throw refused(path, t, "a half-precision float; cast it to float");
          }
          return Types.primitive(
                  p == FloatingPointPrecision.SINGLE
                      ? PrimitiveTypeName.FLOAT
                      : PrimitiveTypeName.DOUBLE,
                  rep)
              .named(f.getName());
        }
      case Decimal:
        {
          ArrowType.Decimal d = (ArrowType.Decimal) t;
          if (d.getPrecision() > 38 || d.getBitWidth() != 128) {
            throw refused(
                path, t, "a decimal wider than 38 digits; Spark's limit is" + " DECIMAL(38, s)");
          }
          LogicalTypeAnnotation a =
              LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision());
          if (d.getPrecision() <= 9) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).as(a).named(f.getName());
          }
          if (d.getPrecision() <= 18) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).as(a).named(f.getName());
          }
          return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
              .length(decimalBytes(d.getPrecision()))
              .as(a)
              .named(f.getName());
        }
      case Utf8:
        return Types.primitive(PrimitiveTypeName.BINARY, rep)
            .as(LogicalTypeAnnotation.stringType())
            .named(f.getName());
      case Binary:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).named(f.getName());
      case FixedSizeBinary:
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
            .length(((ArrowType.FixedSizeBinary) t).getByteWidth())
            .named(f.getName());
      case Date:
        if (((ArrowType.Date) t).getUnit() != DateUnit.DAY) {
          throw refused(path, t, "a date in milliseconds; cast it to Date(DAY)");
        }
        return Types.primitive(PrimitiveTypeName.INT32, rep)
            .as(LogicalTypeAnnotation.dateType())
            .named(f.getName());
      case Timestamp:
        {
          ArrowType.Timestamp ts = (ArrowType.Timestamp) t;
          if (ts.getUnit() == TimeUnit.NANOSECOND) {
            throw refused(
                path,
                t,
                "nanoseconds, which Spark cannot read; normalize the frame"
                    + " first (spill does before it writes)");
          }
          return Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(
                  LogicalTypeAnnotation.timestampType(
                      ts.getTimezone() != null, LogicalTypeAnnotation.TimeUnit.MICROS))
              .named(f.getName());
        }
      case Time:
        {
          ArrowType.Time time = (ArrowType.Time) t;
          if (time.getUnit() != TimeUnit.MICROSECOND || time.getBitWidth() != 64) {
            throw refused(
                path,
                t,
                "a time of day in another unit than Spark's; cast it to"
                    + " Time(MICROSECOND, 64)");
          }
          return Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
              .named(f.getName());
        }
      case Interval:
        if (((ArrowType.Interval) t).getUnit() != IntervalUnit.YEAR_MONTH) {
          throw refused(
              path,
              t,
              "an interval Spark cannot read; Spark has Interval(YEAR_MONTH)"
                  + " and, for days and times, Duration(MICROSECOND)");
        }
        return Types.primitive(PrimitiveTypeName.INT32, rep).named(f.getName());
      case Duration:
        if (((ArrowType.Duration) t).getUnit() != TimeUnit.MICROSECOND) {
          throw refused(
              path,
              t,
              "a duration in another unit than Spark's; cast it to" + " Duration(MICROSECOND)");
        }
        return Types.primitive(PrimitiveTypeName.INT64, rep).named(f.getName());
      default:
        throw refused(
            path,
            t,
            "a type Spark cannot read; cast it to one of boolean, int8-64,"
                + " float, double, decimal(<=38), utf8, binary, date(day), timestamp, time(micro),"
                + " interval(year_month), duration(micro), list, map or struct");
    }
  }

  /** The bytes a fixed-length decimal of {@code precision} digits needs, as Spark sizes them. */
  static int decimalBytes(int precision) {
    int bytes = 1;
    while (Math.pow(2.0, 8 * bytes - 1) < Math.pow(10.0, precision)) {
      bytes++;
    }
    return bytes;
  }

  private static UnsupportedColumnTypeException refused(String path, ArrowType t, String why) {
    return new UnsupportedColumnTypeException(
        "column '" + path + "' has the Arrow type " + t + ": " + why);
  }
}
