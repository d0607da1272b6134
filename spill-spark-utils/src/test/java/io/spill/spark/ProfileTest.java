package io.spill.spark;

import static io.spill.spark.Fixtures.allNull;
import static io.spill.spark.Fixtures.empty;
import static io.spill.spark.Fixtures.people;
import static io.spill.spark.Fixtures.spark;
import static io.spill.spark.Fixtures.unicode;
import static io.spill.spark.Fixtures.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ProfileTest {

  private static Map<String, Row> byColumn(Dataset<Row> profile) {
    Map<String, Row> out = new TreeMap<>();
    profile.collectAsList().forEach(r -> out.put(r.getString(0), r));
    return out;
  }

  private static List<String> top(Row r) {
    return scala.jdk.javaapi.CollectionConverters.asJava(
            r.<scala.collection.Seq<Row>>getAs("top_values"))
        .stream()
        .map(t -> t.getString(0) + "=" + t.getLong(1))
        .toList();
  }

  @Test
  void profilesEveryColumn() {
    Dataset<Row> p = SparkFrames.profile(people(), 2);
    assertThat(p.schema()).isEqualTo(SparkFrames.PROFILE_SCHEMA);
    assertThat(p.collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(people().columns());
    Map<String, Row> rows = byColumn(p);
    Row name = rows.get("name");
    assertThat(name.<String>getAs("type")).isEqualTo("string");
    assertThat(name.<Long>getAs("rows")).isEqualTo(5);
    assertThat(name.<Long>getAs("null_count")).isEqualTo(2);
    assertThat(name.<Double>getAs("null_share")).isEqualTo(0.4);
    assertThat(name.<Long>getAs("distinct_count")).isEqualTo(2);
    assertThat(name.<Boolean>getAs("distinct_exact")).isTrue();
    assertThat(name.<String>getAs("min")).isEqualTo("ann");
    assertThat(name.<String>getAs("max")).isEqualTo("bob");
    assertThat(top(name)).containsExactly("null=2", "ann=2");
    assertThat(rows.get("count").<String>getAs("max")).isEqualTo("7");
    Row address = rows.get("address");
    assertThat(address.<String>getAs("min")).isNull();
    assertThat(top(address)).first().isEqualTo("null=2");
    assertThat(top(rows.get("tags"))).contains("[]=2");
  }

  @Test
  void profilesEmptyAllNullUnicodeFrames() {
    Row e = byColumn(SparkFrames.profile(empty(), 3)).get("id");
    assertThat(e.<Long>getAs("rows")).isZero();
    assertThat(e.<Double>getAs("null_share")).isNull();
    assertThat(e.<Long>getAs("distinct_count")).isZero();
    assertThat(top(e)).isEmpty();
    Row n = byColumn(SparkFrames.profile(allNull(), 3)).get("nothing");
    assertThat(n.<Long>getAs("null_count")).isEqualTo(4);
    assertThat(n.<Double>getAs("null_share")).isEqualTo(1.0);
    assertThat(n.<Long>getAs("distinct_count")).isZero();
    assertThat(top(n)).containsExactly("null=4");
    Row u = byColumn(SparkFrames.profile(unicode(), 1)).get("名前");
    assertThat(top(u)).containsExactly("名前=2");
    assertThat(SparkFrames.profile(unicode(), 0).collectAsList())
        .allSatisfy(r -> assertThat(top(r)).isEmpty());
    assertThatThrownBy(() -> SparkFrames.profile(people(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fiveHundredColumnsTakeAFewJobsNotOnePerColumn() {
    var sc = spark().sparkContext();
    sc.setJobGroup("spill-profile-test", "profile of 500 columns", false);
    List<Row> p;
    try {
      p = SparkFrames.profile(wide(), 3).collectAsList();
    } finally {
      sc.clearJobGroup();
    }
    int jobs = sc.statusTracker().getJobIdsForGroup("spill-profile-test").length;
    assertThat(p).hasSize(500);
    assertThat(jobs).isBetween(2, 8);
    Row c7 = p.get(7);
    assertThat(c7.getString(0)).isEqualTo("c7");
    assertThat(c7.<Long>getAs("distinct_count")).isEqualTo(2);
    assertThat(top(c7)).containsExactly("7=2", "1007=1");
  }

  @Test
  void nullCountsPerColumnInOneRow() {
    Row r = SparkFrames.nullCounts(people()).first();
    assertThat(r.<Long>getAs("name")).isEqualTo(2);
    assertThat(r.<Long>getAs("weird col")).isEqualTo(1);
    assertThat(r.<Long>getAs("id")).isZero();
    assertThat(SparkFrames.nullCounts(empty()).first().<Long>getAs("count")).isZero();
    assertThat(SparkFrames.nullCounts(allNull()).first().<Long>getAs("nothing")).isEqualTo(4);
    assertThat(SparkFrames.nullCounts(unicode()).columns()).containsExactly(unicode().columns());
    Dataset<Row> wide = SparkFrames.nullCounts(wide());
    assertThat(wide.columns()).hasSize(500);
    assertThat(wide.first().<Long>getAs("c499")).isZero();
  }
}
