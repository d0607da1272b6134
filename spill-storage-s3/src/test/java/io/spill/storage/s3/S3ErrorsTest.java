package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.StorageAccessException;
import io.spill.testkit.SparkTestSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the S3 store cannot be used: a specific error within seconds, naming the
 * fix, never a hang, never a credential; and spill creates no bucket on the way.
 */
class S3ErrorsTest {
  /**
   * Each failure below must surface within this, retries included: opening a store bounds its
   * bucket check by {@link S3SpillStore#CHECK_TIMEOUT}, and three times that is generous for a
   * loaded machine while an unbounded check (three attempts, each waiting for the 30-second socket
   * timeout) would take longer.
   */
  private static final Duration WITHIN = S3SpillStore.CHECK_TIMEOUT.multipliedBy(3);

  @TempDir Path local;

  private static Map<String, String> options(Map<String, String> changes) {
    Map<String, String> o = new LinkedHashMap<>(S3TestServer.get().options());
    o.putAll(changes);
    return o;
  }

  private static Throwable openFails(String location, Map<String, String> options) {
    long start = System.nanoTime();
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> S3SpillStore.open(location, S3Settings.from(options)).close());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WITHIN);
    assertThat(thrown).isNotNull();
    assertThat(thrown.getMessage())
        .doesNotContain(S3TestServer.SECRET_KEY)
        .doesNotContain("wrong-secret-a1b2c3");
    return thrown;
  }

  @Test
  void aMissingBucketIsNamedAndNotCreated() {
    Throwable e = openFails("s3://no-such-bucket-xyz/p", options(Map.of()));
    assertThat(e)
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("bucket 'no-such-bucket-xyz' does not exist")
        .hasMessageContaining("spill never creates a bucket");
    assertThat(S3TestServer.get().admin().listBuckets().buckets())
        .noneMatch(b -> b.name().equals("no-such-bucket-xyz"));
  }

  @Test
  void wrongCredentialsSayCheckTheCredentialsWithoutShowingThem() {
    String bucket = S3TestServer.get().newBucket();
    Throwable e =
        openFails("s3://" + bucket, options(Map.of("s3.secret-access-key", "wrong-secret-a1b2c3")));
    assertThat(e)
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("s3.access-key-id and s3.secret-access-key");
    Throwable unknownKey =
        openFails("s3://" + bucket, options(Map.of("s3.access-key-id", "nobody")));
    assertThat(unknownKey)
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("credentials");
  }

  @Test
  void anEndpointThatRefusesConnectionsFailsFast() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Throwable e =
        openFails("s3://some-bucket", options(Map.of("s3.endpoint", "http://127.0.0.1:" + port)));
    assertThat(e)
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("http://127.0.0.1:" + port)
        .hasMessageContaining("Check s3.endpoint");
  }

  @Test
  void anEndpointThatNeverAnswersFailsWithinTheCheckTimeout() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept()); // accepts, reads nothing, answers nothing
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Throwable e =
          openFails(
              "s3://some-bucket",
              options(Map.of("s3.endpoint", "http://127.0.0.1:" + silent.getLocalPort())));
      assertThat(e)
          .isInstanceOf(StorageAccessException.class)
          .hasMessageContaining("did not answer in time");
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void badOptionsFailBeforeAnyRequest() {
    assertThatThrownBy(() -> S3Settings.from(Map.of("s3.secret-access-key", "x")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("set both s3.access-key-id and s3.secret-access-key");
    assertThatThrownBy(() -> S3Settings.from(Map.of("s3.endpoint", "ftp://host")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> S3Settings.from(Map.of("s3.part-size", "1MiB")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("5 MiB");
    assertThatThrownBy(() -> S3Settings.from(Map.of("s3.path-style-access", "yes")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("bucket name");
    assertThatThrownBy(() -> S3Location.parse("s3://bucket/a//b"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("segment");
    assertThatThrownBy(() -> S3Location.parse("s3://bucket/../b"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("segment");
  }

  @Test
  void theBuilderReportsAnUnknownS3OptionAndAMissingBucket() {
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(SparkTestSession.get())
                    .engine(DuckDbEngine.create())
                    .store("s3://bucket/p")
                    .option("s3.regoin", "x")
                    .localDir(local)
                    .shutdownHook(false)
                    .build())
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("unknown option 's3.regoin'")
        .hasMessageContaining("s3.region");
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(SparkTestSession.get())
                    .engine(DuckDbEngine.create())
                    .store("s3a://missing-bucket-q/p")
                    .options(S3TestServer.get().options())
                    .localDir(local)
                    .shutdownHook(false)
                    .build())
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void settingsNeverPrintCredentials() {
    S3Settings s = S3TestServer.get().settings();
    assertThat(s.toString())
        .doesNotContain(S3TestServer.SECRET_KEY)
        .doesNotContain(S3TestServer.ACCESS_KEY)
        .contains("static (hidden)");
    try (S3SpillStore store = S3SpillStore.open("s3://" + S3TestServer.get().newBucket(), s)) {
      assertThat(store.toString() + store.describe()).doesNotContain(S3TestServer.SECRET_KEY);
    }
  }
}
