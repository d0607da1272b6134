package io.spill.spark;

import io.spill.testkit.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** The frames every utility is tried on: typical, empty, all-null, unicode and 500 columns. */
final class Fixtures {
  private Fixtures() {}

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  static final StructType PEOPLE =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("name", DataTypes.StringType)
          .add("count", DataTypes.IntegerType)
          .add("index", DataTypes.IntegerType)
          .add("weird col", DataTypes.StringType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType))
          .add("attrs", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
          .add(
              "address",
              new StructType().add("city", DataTypes.StringType).add("zip", DataTypes.StringType));

  /** Rows 1 and 4 share name and count; rows 2 and 5 share a null name and count 7. */
  static Dataset<Row> people() {
    return spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    1L,
                    "ann",
                    3,
                    0,
                    "x",
                    seq("a", "b"),
                    map("k", 1),
                    RowFactory.create("Oslo", null)),
                RowFactory.create(2L, null, 7, 1, "y", seq(), map(), null),
                RowFactory.create(
                    3L, "bob", 5, 2, null, null, null, RowFactory.create("Rome", "001")),
                RowFactory.create(
                    4L, "ann", 3, 3, "z", seq("c"), map("k", 2), RowFactory.create("Oslo", "9")),
                RowFactory.create(5L, null, 7, 4, "y", seq(), map(), null)),
            PEOPLE);
  }

  static Dataset<Row> empty() {
    return people().limit(0);
  }

  static Dataset<Row> allNull() {
    return spark().sql("SELECT id, CAST(NULL AS STRING) AS nothing FROM range(4)");
  }

  static Dataset<Row> unicode() {
    return spark()
        .createDataFrame(
            List.of(
                RowFactory.create("Größe", "名前", "🚀"),
                RowFactory.create("Größe", "名前", "🚀"),
                RowFactory.create("ñandú", "東京", "ß")),
            new StructType()
                .add("Größe", DataTypes.StringType)
                .add("名前", DataTypes.StringType)
                .add("café au lait", DataTypes.StringType));
  }

  /** 500 long columns c0..c499, 3 rows; row 2 repeats row 0. */
  static Dataset<Row> wide() {
    StructType schema = new StructType();
    for (int i = 0; i < 500; i++) {
      schema = schema.add("c" + i, DataTypes.LongType);
    }
    List<Row> rows = new ArrayList<>();
    for (long r : new long[] {0, 1, 0}) {
      Object[] values = new Object[500];
      Arrays.setAll(values, i -> r * 1000 + i);
      rows.add(RowFactory.create(values));
    }
    return spark().createDataFrame(rows, schema);
  }

  static Object seq(String... values) {
    return CollectionConverters.asScala(Arrays.asList(values)).toSeq();
  }

  static Object map(Object... kv) {
    java.util.Map<Object, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return scala.collection.immutable.Map.from(CollectionConverters.asScala(m));
  }

  static Map<String, Long> column(Dataset<Row> df, String key, String value) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Row r : df.collectAsList()) {
      out.put(String.valueOf(r.<Object>getAs(key)), ((Number) r.getAs(value)).longValue());
    }
    return out;
  }
}
