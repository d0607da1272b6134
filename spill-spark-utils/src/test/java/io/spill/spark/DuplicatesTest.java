package io.spill.spark;

import static io.spill.spark.Fixtures.allNull;
import static io.spill.spark.Fixtures.empty;
import static io.spill.spark.Fixtures.people;
import static io.spill.spark.Fixtures.unicode;
import static io.spill.spark.Fixtures.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DuplicatesTest {

  private static java.util.List<Long> ids(Dataset<Row> df) {
    return df.select("id").collectAsList().stream().map(r -> r.getLong(0)).sorted().toList();
  }

  @Test
  void keepDuplicatesKeepsEveryCopyAndTreatsNullKeysAsEqual() {
    assertThat(ids(SparkFrames.keepDuplicates(people(), "name"))).containsExactly(1L, 2L, 4L, 5L);
    assertThat(ids(SparkFrames.keepDuplicates(people(), "NAME", "count")))
        .containsExactly(1L, 2L, 4L, 5L);
    assertThat(ids(SparkFrames.keepDuplicates(people(), "weird col"))).containsExactly(2L, 5L);
    assertThat(SparkFrames.keepDuplicates(people(), "id").count()).isZero();
  }

  @Test
  void keepDuplicatesKeepsTheSchemaAndNeverBroadcasts() {
    Dataset<Row> d = SparkFrames.keepDuplicates(people(), "count");
    assertThat(d.columns()).containsExactly(people().columns());
    String plan = d.queryExecution().executedPlan().toString();
    assertThat(plan).doesNotContain("Broadcast").contains("Window");
  }

  @Test
  void withoutColumnsTheWholeRowIsTheKey() {
    assertThat(SparkFrames.keepDuplicates(unicode()).count()).isEqualTo(2);
    assertThat(SparkFrames.keepDuplicates(wide()).count()).isEqualTo(2);
    assertThat(SparkFrames.keepDuplicates(allNull()).count()).isZero();
    assertThat(SparkFrames.keepDuplicates(allNull(), "nothing").count()).isEqualTo(4);
    assertThat(SparkFrames.keepDuplicates(empty(), "name").count()).isZero();
  }

  @Test
  void mapsCannotBeKeysAndMissingColumnsAreNamed() {
    assertThatThrownBy(() -> SparkFrames.keepDuplicates(people()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'attrs'")
        .hasMessageContaining("map");
    assertThatThrownBy(() -> SparkFrames.keepDuplicates(people(), "nope"))
        .isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("column 'nope' not found")
        .hasMessageContaining("weird col");
  }

  @Test
  void isUniqueCountsNullAsAValue() {
    assertThat(SparkFrames.isUnique(people(), "id")).isTrue();
    assertThat(SparkFrames.isUnique(people(), "index")).isTrue();
    assertThat(SparkFrames.isUnique(people(), "name")).isFalse();
    assertThat(SparkFrames.isUnique(people(), "weird col")).isFalse();
    assertThat(SparkFrames.isUnique(allNull(), "nothing")).isFalse();
    assertThat(SparkFrames.isUnique(allNull())).isTrue();
    assertThat(SparkFrames.isUnique(empty(), "name")).isTrue();
    assertThat(SparkFrames.isUnique(unicode(), "名前")).isFalse();
    assertThat(SparkFrames.isUnique(wide(), "c1")).isFalse();
    assertThat(SparkFrames.isUnique(wide().limit(2))).isTrue();
    assertThatThrownBy(() -> SparkFrames.isUnique(people(), "missing"))
        .isInstanceOf(ColumnNotFoundException.class);
  }

  @Test
  void valueCountsCountNullsAndNameTheCountColumnFreely() {
    Dataset<Row> byName = SparkFrames.valueCounts(people(), "name");
    assertThat(byName.columns()).containsExactly("name", "count");
    assertThat(Fixtures.column(byName, "name", "count"))
        .containsEntry("ann", 2L)
        .containsEntry("null", 2L)
        .containsEntry("bob", 1L);
    assertThat(byName.collectAsList().get(2).getString(0)).isEqualTo("bob");
    Dataset<Row> byCount = SparkFrames.valueCounts(people(), "count");
    assertThat(byCount.columns()).containsExactly("count", "count_2");
    assertThat(SparkFrames.valueCounts(allNull(), "nothing").first().getLong(1)).isEqualTo(4);
    assertThat(SparkFrames.valueCounts(empty(), "name").count()).isZero();
    assertThat(SparkFrames.valueCounts(unicode(), "Größe").first().getString(0)).isEqualTo("Größe");
    assertThat(SparkFrames.valueCounts(wide()).first().getLong(500)).isEqualTo(2);
  }
}
