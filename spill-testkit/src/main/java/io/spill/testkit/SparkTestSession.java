package io.spill.testkit;

import org.apache.spark.sql.SparkSession;

/**
 * A real local Spark session for tests: {@code local[2]}, no UI, few shuffle partitions, UTC
 * session time zone, {@code java.time} values in rows (so dates before 1582 compare exactly) unless
 * a test changes it. One per JVM, as Spark allows; tests must not stop it.
 */
public final class SparkTestSession {
  /** Tables saved in tests go to a temporary folder, not into the working directory. */
  private static final java.nio.file.Path WAREHOUSE = createWarehouse();

  private SparkTestSession() {}

  private static java.nio.file.Path createWarehouse() {
    try {
      return java.nio.file.Files.createTempDirectory("spill-test-warehouse-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The shared session, created on first use.
   *
   * @return the session
   */
  public static SparkSession get() {
    return configured(SparkSession.builder().master("local[2]").appName("spill-tests"))
        .getOrCreate();
  }

  /** {@code builder} with the settings of the shared session but its master and name. */
  static SparkSession.Builder configured(SparkSession.Builder builder) {
    return builder
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.warehouse.dir", WAREHOUSE.toUri().toString());
  }
}
