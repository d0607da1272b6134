package io.spill.engine.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Spark's schema in its JSON form ({@code StructType.json()}), which Spark keeps in the footer of
 * the Parquet files it writes and reads first: the engine writes it for what it writes, so that
 * Spark reads intervals the engine wrote as intervals again. (What Spark wrote, the engine learns
 * from the {@code SparkSchema} spill passes with the files.)
 */
final class SparkSchemaJson {
  /** The footer key under which Spark keeps its schema, and reads it first. */
  static final String FOOTER_KEY = "org.apache.spark.sql.parquet.row.metadata";

  /**
   * The Arrow field metadata key holding the Spark type of an interval read from Spark's files
   * ({@code interval hour}, {@code interval year}, ...), which Arrow's types do not keep.
   */
  static final String SPARK_TYPE = "spill.spark.type";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SparkSchemaJson() {}

  /**
   * Whether {@code schema} has an interval anywhere, which Spark reads right only with its schema
   * in the footer.
   */
  static boolean needsSparkSchema(Schema schema) {
    return schema.getFields().stream().anyMatch(SparkSchemaJson::hasInterval);
  }

  private static boolean hasInterval(Field f) {
    ArrowType.ArrowTypeID id = f.getType().getTypeID();
    return id == ArrowType.ArrowTypeID.Interval
        || id == ArrowType.ArrowTypeID.Duration
        || f.getChildren().stream().anyMatch(SparkSchemaJson::hasInterval);
  }

  /**
   * The Spark schema of what the engine writes for {@code schema}, which {@link
   * ArrowTypes#toParquet} accepted.
   */
  static String of(Schema schema) {
    return struct(schema.getFields()).toString();
  }

  private static ObjectNode struct(java.util.List<Field> fields) {
    ObjectNode s = NODES.objectNode().put("type", "struct");
    ArrayNode out = s.putArray("fields");
    for (Field f : fields) {
      ObjectNode field = out.addObject().put("name", f.getName());
      field.set("type", type(f));
      field.put("nullable", f.isNullable());
      field.putObject("metadata");
    }
    return s;
  }

  private static JsonNode type(Field f) {
    ArrowType t = f.getType();
    return switch (t.getTypeID()) {
      case Struct -> struct(f.getChildren());
      case List -> {
        Field element = f.getChildren().get(0);
        ObjectNode a = NODES.objectNode().put("type", "array");
        a.set("elementType", type(element));
        yield a.put("containsNull", element.isNullable());
      }
      case Map -> {
        Field entries = f.getChildren().get(0);
        ObjectNode m = NODES.objectNode().put("type", "map");
        m.set("keyType", type(entries.getChildren().get(0)));
        m.set("valueType", type(entries.getChildren().get(1)));
        yield m.put("valueContainsNull", entries.getChildren().get(1).isNullable());
      }
      case Bool -> NODES.textNode("boolean");
      case Int ->
          NODES.textNode(
              switch (((ArrowType.Int) t).getBitWidth()) {
                case 8 -> "byte";
                case 16 -> "short";
                case 32 -> "integer";
                default -> "long";
              });
      case FloatingPoint ->
          NODES.textNode(
              ((ArrowType.FloatingPoint) t).getPrecision()
                      == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
                  ? "float"
                  : "double");
      case Decimal ->
          NODES.textNode(
              "decimal("
                  + ((ArrowType.Decimal) t).getPrecision()
                  + ","
                  + ((ArrowType.Decimal) t).getScale()
                  + ")");
      case Utf8 -> NODES.textNode("string");
      case Binary, FixedSizeBinary -> NODES.textNode("binary");
      case Date -> NODES.textNode("date");
      case Timestamp ->
          NODES.textNode(
              ((ArrowType.Timestamp) t).getTimezone() != null ? "timestamp" : "timestamp_ntz");
      case Time -> NODES.textNode("time(6)");
      case Interval -> NODES.textNode(sparkType(f, true, "interval year to month"));
      case Duration -> NODES.textNode(sparkType(f, false, "interval day to second"));
      default -> throw new IllegalStateException("no Spark type for " + t); // refused first
    };
  }

  /**
   * The Spark interval type the field was read as, if it is of the same kind (year-month or
   * day-time); else {@code widest}, for an interval the engine made.
   */
  private static String sparkType(Field f, boolean yearMonth, String widest) {
    String kept = f.getMetadata() == null ? null : f.getMetadata().get(SPARK_TYPE);
    if (kept == null) {
      return widest;
    }
    boolean keptYearMonth = kept.startsWith("interval year") || kept.startsWith("interval month");
    return keptYearMonth == yearMonth ? kept : widest;
  }
}
