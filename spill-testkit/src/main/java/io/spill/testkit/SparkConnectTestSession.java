package io.spill.testkit;

import org.apache.spark.sql.SparkSession;

/**
 * A real Spark Connect session for tests, on a Connect server in the test JVM over the shared
 * {@link SparkTestSession}. A class of its own, so that tests without {@code spark-connect} on
 * their class path never load the Connect client's classes.
 */
public final class SparkConnectTestSession {
  private static SparkSession session;

  private SparkConnectTestSession() {}

  /**
   * The shared Spark Connect session of this JVM: on first use, starts a Connect server on the
   * shared session (on the address and port of the system properties {@code
   * spark.connect.grpc.binding.address} and {@code spark.connect.grpc.binding.port}, which the
   * build reserves) and connects to it over gRPC; later calls return the same session, so a
   * module's tests pay for the server once. Tests must not stop it. Needs {@code spark-connect} on
   * the test class path.
   *
   * @return the session
   * @throws IllegalStateException if the server does not accept connections within 5 seconds
   */
  public static synchronized SparkSession connect() {
    if (session == null) {
      session = start();
    }
    return session;
  }

  private static SparkSession start() {
    String port = System.getProperty("spark.connect.grpc.binding.port");
    if (port == null) {
      throw new IllegalStateException(
          "set spark.connect.grpc.binding.port (a free port) for" + " the Spark Connect server");
    }
    org.apache.spark.sql.connect.service.SparkConnectService.start(
        SparkTestSession.get().sparkContext());
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(
              java.net.InetAddress.getLoopbackAddress(), Integer.parseInt(port)),
          5_000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "the Spark Connect server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    return org.apache.spark.sql.connect.SparkSession.builder()
        .remote("sc://127.0.0.1:" + port)
        .getOrCreate();
  }
}
