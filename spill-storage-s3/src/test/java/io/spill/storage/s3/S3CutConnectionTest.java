package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Downloads through a connection dropped in the middle of the body (a proxy in front of the S3
 * server cuts it): the file arrives whole after a retry, or the download fails naming the file; a
 * short file is never taken for the whole one.
 */
class S3CutConnectionTest {
  @TempDir Path dir;

  @Test
  void aCutBodyIsFetchedAgainOrFailsButNeverArrivesShort() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    byte[] content = new byte[3 << 20];
    new Random(3).nextBytes(content);
    S3TestServer.get()
        .admin()
        .putObject(b -> b.bucket(bucket).key("p/data.parquet"), RequestBody.fromBytes(content));
    try (CuttingProxy proxy =
        new CuttingProxy(S3TestServer.get().endpoint().getPort(), "data.parquet", 256 << 10)) {
      Map<String, String> options = new LinkedHashMap<>(S3TestServer.get().options());
      options.put("s3.endpoint", "http://127.0.0.1:" + proxy.port());
      try (S3SpillStore store =
          S3SpillStore.open("s3://" + bucket + "/p", S3Settings.from(options))) {
        proxy.cutNext(1);
        Path once = dir.resolve("once.parquet");
        store.download(Map.of("data.parquet", once));
        assertThat(proxy.cuts()).as("the first response was cut").isEqualTo(1);
        assertThat(Files.readAllBytes(once)).isEqualTo(content);

        proxy.cutNext(1_000);
        Path always = dir.resolve("always.parquet");
        assertThatThrownBy(() -> store.download(Map.of("data.parquet", always)))
            .isInstanceOf(SpillException.class)
            .hasMessageContaining("data.parquet");
        assertThat(always).as("no partial file is left").doesNotExist();
        assertThat(proxy.cuts()).as("tried again, a bounded number of times").isBetween(3, 20);
      }
    }
  }
}
