package io.spill.internal.spark;

import io.spill.spi.SpillConfigurationException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.apache.spark.sql.SparkSession;

/**
 * What kind of session spill was given. Spark 4 has a classic {@code SparkSession} and a Spark
 * Connect one (Databricks standard access mode, serverless, Databricks Connect); on the latter
 * {@code sparkContext()} and everything behind it throws, so spill asks such a session only what
 * the Dataset and configuration APIs answer.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Whether {@code spark} is a Spark Connect session. Told by its class, so that no Connect class
   * is needed at run time (Spark 3.5 has none in its classic jars).
   */
  public static boolean isConnect(SparkSession spark) {
    return spark.getClass().getName().startsWith("org.apache.spark.sql.connect.");
  }

  /**
   * Refuses a session spill cannot use: a Spark Connect session of Spark 3.5, whose client is a
   * class named like the classic session (so it would be taken for one and fail deep inside, in
   * {@code sparkContext()}).
   *
   * @throws SpillConfigurationException saying that Spark Connect needs Spark 4.0 or newer
   */
  public static void requireSupported(SparkSession spark) {
    if (isLegacyConnect(spark.getClass())) {
      throw new SpillConfigurationException(
          "this is a Spark Connect session of Spark 3.5 ("
              + spark.getClass().getName()
              + "), which spill cannot use: Spark Connect needs Spark 4.0 or newer. On Spark 3.5"
              + " use a classic session (a job on the cluster, or a notebook in dedicated access"
              + " mode)");
    }
  }

  /**
   * Whether {@code sessionClass} is Spark 3.5's Spark Connect client: not one of Spark 4's Connect
   * classes, but it has a {@code client()} that returns a {@code SparkConnectClient}.
   */
  static boolean isLegacyConnect(Class<?> sessionClass) {
    if (sessionClass.getName().startsWith("org.apache.spark.sql.connect.")) {
      return false;
    }
    try {
      return sessionClass
          .getMethod("client")
          .getReturnType()
          .getSimpleName()
          .equals("SparkConnectClient");
    } catch (NoSuchMethodException classic) {
      return false;
    }
  }

  /**
   * Whether Spark behind a Spark Connect session can use this machine's disk: its master runs
   * everything in one process ({@code local}, {@code local[n]}) and that process is on this
   * machine.
   *
   * @param master the server's {@code spark.master}
   * @param driverHost the server's {@code spark.driver.host}
   */
  public static boolean connectServerSharesThisDisk(String master, String driverHost) {
    return (master.equals("local") || master.startsWith("local[")) && isThisMachine(driverHost);
  }

  /** Whether {@code host} names this machine: a loopback address or one of its interfaces. */
  public static boolean isThisMachine(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress()
          || address.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(address) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
