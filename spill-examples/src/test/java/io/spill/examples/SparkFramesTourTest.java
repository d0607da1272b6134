package io.spill.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkFramesTourTest {
  @Test
  void theTourShowsEveryUtility() {
    SparkSession spark = SparkTestSession.get();
    PrintStream stdout = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try {
      PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
      System.setOut(capture);
      SparkFramesTour.run(spark, capture);
    } finally {
      System.setOut(stdout);
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains(
            "Rows: 5",
            "(5, 5)",
            "true / false",
            "order_id, customer_name, grosse_stadt, count, ship_to",
            "changed [count, order_id], unchanged [], unknown columns [customer]");
    for (String utility :
        new String[] {
          "glimpse",
          "frameShape",
          "keepDuplicates",
          "isUnique",
          "valueCounts",
          "nullCounts",
          "cleanColumnNames",
          "unnest",
          "selectByType",
          "profile",
          "applyColumnComments"
        }) {
      assertThat(out).contains("== SparkFrames." + utility + "(");
    }
  }
}
