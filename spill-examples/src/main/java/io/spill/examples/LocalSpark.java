package io.spill.examples;

import org.apache.spark.sql.SparkSession;

/**
 * The local Spark the examples and the benchmark run on: {@code local[2]} on loopback, no UI, UTC,
 * 4 shuffle partitions.
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** A builder with those settings; add more, then {@code getOrCreate()}. */
  public static SparkSession.Builder builder(String appName) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
  }
}
