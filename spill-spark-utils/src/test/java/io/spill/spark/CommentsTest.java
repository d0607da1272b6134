package io.spill.spark;

import static io.spill.spark.Fixtures.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On a real table in local Spark's catalog. */
class CommentsTest {

  @BeforeEach
  void createTable() {
    spark()
        .sql(
            "CREATE TABLE spill_comments (id BIGINT, `count` INT, `we``ird col` STRING)"
                + " USING parquet");
  }

  @AfterEach
  void dropTable() {
    spark().sql("DROP TABLE IF EXISTS spill_comments");
  }

  private static Map<String, String> comments() {
    Map<String, String> out = new LinkedHashMap<>();
    for (StructField f : spark().table("spill_comments").schema().fields()) {
      out.put(f.name(), f.getComment().getOrElse(() -> null));
    }
    return out;
  }

  @Test
  void appliesQuotedEscapedCommentsAndReportsWhatChanged() {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put("id", "it's a \\ test; DROP TABLE x; --");
    wanted.put("COUNT", "Anzahl (größer als 0) 🚀");
    wanted.put("we`ird col", "line1\nline2");
    wanted.put("missing", "nobody");
    CommentReport report =
        SparkFrames.applyColumnComments(spark(), "default.spill_comments", wanted);
    assertThat(report.changed()).containsExactlyInAnyOrder("id", "count", "we`ird col");
    assertThat(report.unknownColumns()).containsExactly("missing");
    assertThat(comments())
        .containsEntry("id", "it's a \\ test; DROP TABLE x; --")
        .containsEntry("count", "Anzahl (größer als 0) 🚀")
        .containsEntry("we`ird col", "line1\nline2");

    CommentReport again =
        SparkFrames.applyColumnComments(
            spark(),
            "`default`.`spill_comments`",
            Map.of("id", "it's a \\ test; DROP TABLE x; --", "count", "new"));
    assertThat(again.unchanged()).containsExactly("id");
    assertThat(again.changed()).containsExactly("count");
    assertThat(again.toString()).contains("changed [count]").contains("unchanged [id]");
  }

  @Test
  void commentsOnAWideTableWithAnAllNullColumn() {
    Dataset<Row> wide = Fixtures.wide().withColumn("nothing", functions.lit(null).cast("string"));
    wide.write().saveAsTable("spill_wide_comments");
    try {
      Map<String, String> wanted = new LinkedHashMap<>();
      for (String c : wide.columns()) {
        wanted.put(c, "column " + c);
      }
      CommentReport report =
          SparkFrames.applyColumnComments(spark(), "spill_wide_comments", wanted);
      assertThat(report.changed()).hasSize(501);
      assertThat(spark().table("spill_wide_comments").schema().apply("nothing").getComment().get())
          .isEqualTo("column nothing");
    } finally {
      spark().sql("DROP TABLE IF EXISTS spill_wide_comments");
    }
  }

  @Test
  void badTableNamesAreClearErrors() {
    assertThatThrownBy(() -> SparkFrames.applyColumnComments(spark(), "default..t", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty part");
    assertThatThrownBy(() -> SparkFrames.applyColumnComments(spark(), "`open", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unclosed backtick");
  }
}
