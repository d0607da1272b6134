package io.spill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.junit.jupiter.api.Test;

/**
 * The suite through a real Spark Connect session: a Connect server started in this JVM on the port
 * the build reserved (127.0.0.1), reached with the Connect client, so every call goes over gRPC and
 * the session has no {@code SparkContext}. Client and server share this machine's disk, as with a
 * Connect server on the driver.
 */
class ConnectSessionTest extends CompatibilitySuite {
  private static SparkSession connect;

  @Override
  synchronized SparkSession spark() {
    if (connect == null) {
      SparkSession server = SparkTestSession.get();
      SparkConnectService.start(server.sparkContext());
      String port = System.getProperty("spark.connect.grpc.binding.port");
      requireListening(Integer.parseInt(port));
      connect =
          org.apache.spark.sql.connect.SparkSession.builder()
              .remote("sc://127.0.0.1:" + port)
              .getOrCreate();
    }
    return connect;
  }

  /** Fails at once if the server is not up: the Connect client would retry for many minutes. */
  private static void requireListening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "the Spark Connect server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  @Test
  void theSessionIsAConnectSession() {
    assertThat(spark().getClass().getName()).startsWith("org.apache.spark.sql.connect.");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> spark().sparkContext())
        .hasMessageContaining("SparkContext");
  }
}
