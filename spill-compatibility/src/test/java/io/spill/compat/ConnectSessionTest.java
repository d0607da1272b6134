package io.spill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.SparkConnectTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The suite through a real Spark Connect session: a Connect server started in this JVM on a free
 * port of 127.0.0.1, reached with the Connect client, so every call goes over gRPC and the session
 * has no {@code SparkContext}. Client and server share this machine's disk, as with a Connect
 * server on the driver.
 */
class ConnectSessionTest extends CompatibilitySuite {
  @Override
  SparkSession spark() {
    return SparkConnectTestSession.connect();
  }

  @Test
  void theSessionIsAConnectSession() {
    assertThat(spark().getClass().getName()).startsWith("org.apache.spark.sql.connect.");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> spark().sparkContext())
        .hasMessageContaining("SparkContext");
  }
}
