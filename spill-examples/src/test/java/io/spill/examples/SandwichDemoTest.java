package io.spill.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandwichDemoTest {
  @TempDir Path tmp;

  @Test
  void theDemoAggregatesLikeSparkAndLeavesNothingBehind() {
    SparkSession spark = SparkTestSession.get();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    var demo = new SandwichDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    List<Row> result = demo.run(spark, 10_000, tmp.resolve("store"));
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(result).hasSize(5);
    // Region is id % 5, active is id % 10 < 7: north and south get 2 active ids of every 10.
    assertThat(result)
        .extracting(r -> r.getString(0) + "=" + r.getLong(1))
        .containsExactly("central=1000", "east=1000", "north=2000", "south=2000", "west=1000");
    assertThat(printed)
        .contains(
            "step times:",
            "Spark -> DuckDB",
            "sales_by_region",
            "checkpoint rows reloaded in DuckDB: 5");
    assertThat(tmp.resolve("store")).doesNotExist();
  }
}
