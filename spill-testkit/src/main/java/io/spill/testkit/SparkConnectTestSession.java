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
   * shared session (see {@link #startServer}) and connects to it over gRPC; later calls return the
   * same session, so a module's tests pay for the server once. Tests must not stop it. Needs {@code
   * spark-connect} on the test class path.
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
    int port = startServer(SparkTestSession.get());
    return org.apache.spark.sql.connect.SparkSession.builder()
        .remote("sc://127.0.0.1:" + port)
        .getOrCreate();
  }

  /**
   * Starts the Spark Connect server of this JVM on the given classic session and returns the port
   * it listens on. The build sets {@code spark.connect.grpc.binding.port} to 0, so the server binds
   * a port the operating system picks at that moment: a port chosen earlier (by the build, say) can
   * be taken by another module's test JVM before the server binds it.
   *
   * @param classic the classic session the server runs on
   * @return the port the server listens on
   * @throws IllegalStateException if the build did not ask for a free port, or the server does not
   *     accept connections within 5 seconds
   */
  public static int startServer(SparkSession classic) {
    if (!"0".equals(System.getProperty("spark.connect.grpc.binding.port"))) {
      throw new IllegalStateException(
          "set the system property spark.connect.grpc.binding.port to 0 for the Spark Connect"
              + " server of the tests: the server then binds a port that is free when it starts");
    }
    org.apache.spark.sql.connect.service.SparkConnectService.start(classic.sparkContext());
    // The bound port: Spark's own Connect tests read it the same way. Scala's package-private
    // accessor is public in bytecode, on the module object only (Spark 4.0 to 4.2).
    int port = org.apache.spark.sql.connect.service.SparkConnectService$.MODULE$.localPort();
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5_000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "the Spark Connect server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    return port;
  }
}
