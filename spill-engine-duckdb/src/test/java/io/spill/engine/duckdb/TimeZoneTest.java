package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.ToEngine;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DuckDB computes in the Spark session's time zone, not the operating system's: the day, the start
 * of the day and the hour of an instant agree in both engines, around midnight UTC and across
 * daylight-saving changes in Europe and America.
 */
class TimeZoneTest extends DevSpillerTest {
  private static final String EVENTS =
      "SELECT * FROM VALUES"
          + " (1, TIMESTAMP'2024-01-15 23:30:00Z'), (2, TIMESTAMP'2024-01-16 00:30:00Z'),"
          + " (3, TIMESTAMP'2024-03-31 00:30:00Z'), (4, TIMESTAMP'2024-03-31 01:30:00Z'),"
          + " (5, TIMESTAMP'2024-03-10 06:30:00Z'), (6, TIMESTAMP'2024-03-10 07:30:00Z'),"
          + " (7, TIMESTAMP'2024-10-27 00:30:00Z'), (8, TIMESTAMP'2024-11-03 05:30:00Z'),"
          + " (9, TIMESTAMP'2024-06-30 18:45:00Z') AS t(id, ts)";

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "+05:30", "Pacific/Chatham"})
  void dayStartOfDayAndHourAgreeWithSpark(String zone) throws Exception {
    String before = spark().conf().get("spark.sql.session.timeZone");
    spark().conf().set("spark.sql.session.timeZone", zone);
    try {
      Dataset<Row> events = spark().sql(EVENTS);
      List<String> inSpark = new ArrayList<>();
      for (Row r :
          events
              .selectExpr(
                  "id",
                  "CAST(CAST(ts AS DATE) AS STRING)",
                  "date_format(date_trunc('DAY', ts), 'yyyy-MM-dd HH:mm')",
                  "hour(ts)")
              .orderBy("id")
              .collectAsList()) {
        inSpark.add(r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3));
      }
      for (ToEngine how : List.of(ToEngine.eager(), ToEngine.lazy())) {
        DuckDbFrame frame =
            spill
                .sparkToEngine(events, how)
                .sql(
                    "SELECT id,"
                        + " CAST(CAST(ts AS DATE) AS VARCHAR) AS d,"
                        + " strftime(date_trunc('day', ts), '%Y-%m-%d %H:%M') AS s, hour(ts) AS h"
                        + " FROM this ORDER BY id");
        List<String> inDuckDb = new ArrayList<>();
        try (Statement st = frame.connection().createStatement();
            ResultSet rs = st.executeQuery("SELECT * FROM " + frame.tableName())) {
          while (rs.next()) {
            inDuckDb.add(
                rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4));
          }
        }
        assertThat(inDuckDb).as("%s, %s", zone, how).isEqualTo(inSpark);
      }
    } finally {
      spark().conf().set("spark.sql.session.timeZone", before);
    }
  }
}
