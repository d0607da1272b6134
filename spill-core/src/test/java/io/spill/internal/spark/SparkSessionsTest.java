package io.spill.internal.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  @Test
  void loopbackAndThisMachinesAddressesAreThisMachine() throws Exception {
    assertThat(SparkSessions.isThisMachine("127.0.0.1")).isTrue();
    assertThat(SparkSessions.isThisMachine("localhost")).isTrue();
    assertThat(SparkSessions.isThisMachine(InetAddress.getLocalHost().getHostAddress())).isTrue();
  }

  @Test
  void otherHostsAreNot() {
    assertThat(SparkSessions.isThisMachine("192.0.2.1")).isFalse(); // TEST-NET-1, never local
    assertThat(SparkSessions.isThisMachine("no-such-host.invalid")).isFalse();
  }

  @Test
  void aConnectServerSharesThisDiskOnlyWithALocalMasterOnThisMachine() {
    assertThat(SparkSessions.connectServerSharesThisDisk("local[2]", "127.0.0.1")).isTrue();
    assertThat(SparkSessions.connectServerSharesThisDisk("local", "localhost")).isTrue();
    assertThat(SparkSessions.connectServerSharesThisDisk("local[2]", "192.0.2.1")).isFalse();
    assertThat(SparkSessions.connectServerSharesThisDisk("spark://127.0.0.1:7077", "127.0.0.1"))
        .isFalse();
    assertThat(SparkSessions.connectServerSharesThisDisk("local-cluster[2,1,1024]", "127.0.0.1"))
        .isFalse();
    assertThat(SparkSessions.connectServerSharesThisDisk("unknown", "an unknown host")).isFalse();
  }

  /** Spark 3.5's Connect client: a class named like the classic session, with a client(). */
  static final class LegacyConnectSession {
    public SparkConnectClient client() {
      return null;
    }
  }

  /** Stands for org.apache.spark.sql.connect.client.SparkConnectClient. */
  static final class SparkConnectClient {}

  @Test
  void aSpark35ConnectSessionIsToldApartFromAClassicOne() {
    assertThat(SparkSessions.isLegacyConnect(LegacyConnectSession.class)).isTrue();
    assertThat(SparkSessions.isLegacyConnect(org.apache.spark.sql.classic.SparkSession.class))
        .isFalse();
    assertThat(SparkSessions.isLegacyConnect(String.class)).isFalse();
  }
}
