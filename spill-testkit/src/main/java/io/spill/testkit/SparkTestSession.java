package io.spill.testkit;

import org.apache.spark.sql.SparkSession;

/**
 * A real local Spark session for tests: {@code local[2]}, no UI, few shuffle partitions, UTC
 * session time zone, {@code java.time} values in rows (so dates before 1582 compare exactly)
 * unless a test changes it. One per JVM, as Spark allows; tests must not stop it.
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  /** The shared session, created on first use. */
  public static SparkSession get() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("spill-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .getOrCreate();
  }
}
