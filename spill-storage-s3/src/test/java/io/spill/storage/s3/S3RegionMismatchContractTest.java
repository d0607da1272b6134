package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spill.spi.StorageAccessException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wrong region, against a local HTTP server that answers as Amazon S3 documents for a request
 * signed for another region than the bucket's: {@code HeadBucket} gets 301 with the bucket's region
 * in {@code x-amz-bucket-region}, other requests 400 {@code AuthorizationHeaderMalformed} with a
 * {@code <Region>}. s3proxy accepts any region, so it cannot show this; AWS cannot be reached from
 * here.
 */
class S3RegionMismatchContractTest {
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("x-amz-bucket-region", "eu-west-1");
          if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(301, -1);
          } else {
            byte[] body =
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>"
                        + "<Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is"
                        + " malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message>"
                        + "<Region>eu-west-1</Region><RequestId>1</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aWrongRegionNamesTheBucketsRegionAndTheOptionToSet() {
    Map<String, String> options = new java.util.LinkedHashMap<>(S3TestServer.get().options());
    options.put("s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
    long start = System.nanoTime();
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> S3SpillStore.open("s3://bucket-in-ireland/p", S3Settings.from(options)));
    // not retried: a handful of requests, well within the bucket check's bound
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(S3SpillStore.CHECK_TIMEOUT.multipliedBy(3));
    assertThat(requests.get()).isBetween(1, 3);
    assertThat(e)
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("is not in region us-east-1 but in eu-west-1")
        .hasMessageContaining("set option s3.region to eu-west-1");
    assertThat(e.getMessage()).doesNotContain(S3TestServer.SECRET_KEY);
  }
}
