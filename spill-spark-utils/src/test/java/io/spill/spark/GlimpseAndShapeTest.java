package io.spill.spark;

import static io.spill.spark.Fixtures.allNull;
import static io.spill.spark.Fixtures.empty;
import static io.spill.spark.Fixtures.people;
import static io.spill.spark.Fixtures.unicode;
import static io.spill.spark.Fixtures.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GlimpseAndShapeTest {

  @Test
  void glimpseShowsEveryColumnTransposedAndPrintsIt() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String text;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      text = SparkFrames.glimpse(people());
    } finally {
      System.setOut(stdout);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains(text);
    assertThat(text.lines()).first().isEqualTo("Rows: 5");
    assertThat(text.lines().skip(1).findFirst()).hasValue("Columns: 8");
    assertThat(text)
        .containsPattern("\\$ id +<bigint> +1, 2, 3, 4, 5")
        .containsPattern("\\$ count +<int> +3, 7, 5, 3, 7")
        .containsPattern("\\$ name +<string> +\"ann\", null, \"bob\"")
        .contains("[\"a\", \"b\"], [], null")
        .contains("{\"k\": 1}, {}, null")
        .contains("{city: \"Oslo\", zip: null}, null, {city: \"Rome\"");
    assertThat(SparkFrames.glimpse(people(), 5, 200))
        .contains("{city: \"Oslo\", zip: null}, null, {city: \"Rome\", zip: \"001\"}");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void glimpseCutsLinesAndLimitsRows() {
    String text = SparkFrames.glimpse(people(), 2, 30);
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(30));
    assertThat(text).contains("…").doesNotContain("bob");
    assertThat(SparkFrames.glimpse(people(), 0, 40)).contains("$ id").doesNotContain("1, 2");
    assertThatThrownBy(() -> SparkFrames.glimpse(people(), -1, 80))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SparkFrames.glimpse(people(), 5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 20");
  }

  @Test
  void glimpseOnEmptyAllNullUnicodeAndWideFrames() {
    assertThat(SparkFrames.glimpse(empty())).startsWith("Rows: 0").contains("$ address");
    assertThat(SparkFrames.glimpse(allNull())).contains("$ nothing <string> null, null, null");
    String u = SparkFrames.glimpse(unicode());
    assertThat(u).contains("$ Größe").contains("\"名前\"").contains("\"🚀\"");
    String w = SparkFrames.glimpse(wide(), 3, 60);
    assertThat(w.lines().count()).isEqualTo(502);
    assertThat(w).contains("$ c499 <bigint> 499, 1499, 499");
  }

  @Test
  void glimpseEscapesControlCharacters() {
    String text = SparkFrames.glimpse(Fixtures.spark().sql("SELECT 'a\"b\\nc' AS s"));
    assertThat(text).contains("\"a\\\"b\\nc\"");
  }

  @Test
  void frameShapeCountsRowsAndColumns() {
    assertThat(SparkFrames.frameShape(people())).isEqualTo(new FrameShape(5, 8));
    assertThat(SparkFrames.frameShape(empty())).isEqualTo(new FrameShape(0, 8));
    assertThat(SparkFrames.frameShape(allNull())).isEqualTo(new FrameShape(4, 2));
    assertThat(SparkFrames.frameShape(unicode())).isEqualTo(new FrameShape(3, 3));
    assertThat(SparkFrames.frameShape(wide())).hasToString("(3, 500)");
  }
}
