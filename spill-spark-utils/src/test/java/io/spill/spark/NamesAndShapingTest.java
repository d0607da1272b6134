package io.spill.spark;

import static io.spill.spark.Fixtures.allNull;
import static io.spill.spark.Fixtures.empty;
import static io.spill.spark.Fixtures.people;
import static io.spill.spark.Fixtures.spark;
import static io.spill.spark.Fixtures.unicode;
import static io.spill.spark.Fixtures.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesAndShapingTest {
  @TempDir Path tmp;

  @Test
  void cleanNamesFollowTheRules() {
    List<String> raw =
        List.of(
            "Größe",
            "orderID",
            "HTTPServer",
            "  First Name ",
            "1st place",
            "!!!",
            "A",
            "a",
            "a_2",
            "café au lait",
            "名前",
            "Œuvre-Ætat",
            "x..y__z");
    assertThat(Names.cleanAll(raw))
        .containsExactly(
            "grosse",
            "order_id",
            "http_server",
            "first_name",
            "col_1st_place",
            "column",
            "a",
            "a_3",
            "a_2",
            "cafe_au_lait",
            "column_2",
            "oeuvre_aetat",
            "x_y_z");
  }

  @Test
  void cleanColumnNamesRenamesKeepsDataAndWritesValidParquet() {
    Dataset<Row> df =
        spark()
            .sql(
                "SELECT 1 AS `Order ID`, 2 AS `order_id`, 'x' AS `Größe`,"
                    + " named_struct('Zip Code', '0150', 'City', 'Oslo') AS `Address`,"
                    + " array(named_struct('Item Name', 'a')) AS `Line Items`");
    Dataset<Row> clean = SparkFrames.cleanColumnNames(df, true);
    assertThat(clean.columns())
        .containsExactly("order_id", "order_id_2", "grosse", "address", "line_items");
    assertThat(((StructType) clean.schema().apply("address").dataType()).fieldNames())
        .containsExactly("zip_code", "city");
    assertThat(clean.schema().apply("line_items").dataType().simpleString())
        .isEqualTo("array<struct<item_name:string>>");
    clean.write().parquet(tmp.resolve("clean").toUri().toString());
    Row back = spark().read().parquet(tmp.resolve("clean").toUri().toString()).first();
    assertThat(back.<Row>getAs("address").<String>getAs("city")).isEqualTo("Oslo");
    assertThat(SparkFrames.cleanColumnNames(df).schema().apply("address").dataType())
        .isEqualTo(df.schema().apply("Address").dataType());
  }

  @Test
  void cleanColumnNamesOnEveryFixture() {
    assertThat(SparkFrames.cleanColumnNames(people()).columns()).contains("weird_col", "count");
    assertThat(SparkFrames.cleanColumnNames(empty()).count()).isZero();
    assertThat(SparkFrames.cleanColumnNames(allNull()).columns()).containsExactly("id", "nothing");
    assertThat(SparkFrames.cleanColumnNames(unicode()).columns())
        .containsExactly("grosse", "column", "cafe_au_lait");
    assertThat(SparkFrames.cleanColumnNames(wide()).columns()).hasSize(500).contains("c499");
  }

  @Test
  void cleanColumnNamesKeepsComments() {
    Dataset<Row> df = spark().sql("SELECT 1 AS `My Col`");
    Dataset<Row> commented =
        df.select(
            df.col("`My Col`")
                .as(
                    "My Col",
                    new org.apache.spark.sql.types.MetadataBuilder()
                        .putString("comment", "kept")
                        .build()));
    assertThat(SparkFrames.cleanColumnNames(commented).schema().apply("my_col").getComment().get())
        .isEqualTo("kept");
  }

  @Test
  void unnestReplacesStructsInPlace() {
    Dataset<Row> df = people().select("id", "address", "name");
    Dataset<Row> flat = SparkFrames.unnest(df, "ADDRESS");
    assertThat(flat.columns()).containsExactly("id", "city", "zip", "name");
    assertThat(flat.where("id = 3").first().<String>getAs("zip")).isEqualTo("001");
    assertThat(flat.where("id = 2").first().<String>getAs("city")).isNull();
    assertThat(SparkFrames.unnest(empty(), "address").columns()).contains("city", "zip");
  }

  @Test
  void unnestOnAllNullUnicodeAndWideStructs() {
    Dataset<Row> nulls =
        spark()
            .sql("SELECT id, CAST(NULL AS STRUCT<`Straße`: STRING, `名前`: INT>) AS s FROM range(3)");
    Dataset<Row> flat = SparkFrames.unnest(nulls, "s");
    assertThat(flat.columns()).containsExactly("id", "Straße", "名前");
    assertThat(flat.where("`Straße` IS NULL AND `名前` IS NULL").count()).isEqualTo(3);
    Dataset<Row> w = wide();
    Dataset<Row> packed =
        w.select(
            org.apache
                .spark
                .sql
                .functions
                .struct(
                    java.util.Arrays.stream(w.columns())
                        .map(w::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .as("all"));
    Dataset<Row> unpacked = SparkFrames.unnest(packed, "all");
    assertThat(unpacked.columns()).containsExactly(w.columns());
    assertThat(unpacked.first().<Long>getAs("c499")).isEqualTo(499);
  }

  @Test
  void unnestRefusesClashesAndNonStructs() {
    Dataset<Row> clash = spark().sql("SELECT 'x' AS City, named_struct('city', 'y') AS s");
    assertThatThrownBy(() -> SparkFrames.unnest(clash, "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field 'city' of 's'")
        .hasMessageContaining("rename one first");
    assertThatThrownBy(() -> SparkFrames.unnest(people(), "name"))
        .hasMessageContaining("not a struct");
    assertThatThrownBy(() -> SparkFrames.unnest(people())).hasMessageContaining("at least one");
  }

  @Test
  void selectByTypeMatchesExactTypesOrKinds() {
    assertThat(SparkFrames.selectByType(people(), DataTypes.IntegerType).columns())
        .containsExactly("count", "index");
    assertThat(SparkFrames.selectByType(people(), StructType.class).columns())
        .containsExactly("address");
    Dataset<Row> decimals =
        spark()
            .sql(
                "SELECT CAST(1 AS DECIMAL(10,2)) AS a,"
                    + " CAST(1 AS DECIMAL(38,18)) AS b, 1 AS c");
    assertThat(SparkFrames.selectByType(decimals, DecimalType.class).columns())
        .containsExactly("a", "b");
    assertThat(SparkFrames.selectByType(decimals, DataTypes.createDecimalType(10, 2)).columns())
        .containsExactly("a");
    assertThat(SparkFrames.selectByType(allNull(), DataTypes.StringType).columns())
        .containsExactly("nothing");
    assertThat(SparkFrames.selectByType(unicode(), DataTypes.StringType).columns()).hasSize(3);
    assertThat(SparkFrames.selectByType(wide(), DataTypes.LongType).columns()).hasSize(500);
    assertThat(SparkFrames.selectByType(empty(), DataTypes.BinaryType).columns()).isEmpty();
  }
}
