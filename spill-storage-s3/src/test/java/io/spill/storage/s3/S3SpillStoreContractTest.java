package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SpillStore;
import io.spill.testkit.SpillStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store contract against a real S3 server (s3proxy) on 127.0.0.1. */
class S3SpillStoreContractTest extends SpillStoreContract {
  private static final String BUCKET = S3TestServer.get().newBucket();

  @Override
  protected SpillStore newStore() {
    return S3SpillStore.open(
        "s3://" + BUCKET + "/contract-" + UUID.randomUUID(), S3TestServer.get().settings());
  }

  @Test
  void sparkAddressesTheStoreThroughS3aUnderSpillsOwnScheme() {
    String uri = store.sparkUri("a/b.parquet");
    assertThat(uri).matches("s3a-spill-[0-9a-f]{12}://" + BUCKET + "/contract-.*/a/b\\.parquet");
    String scheme = uri.substring(0, uri.indexOf(':'));
    assertThat(store.sparkOptions())
        .containsEntry("fs." + scheme + ".impl", "org.apache.hadoop.fs.s3a.S3AFileSystem")
        .allSatisfy(
            (k, v) ->
                assertThat(k)
                    .satisfiesAnyOf(
                        key -> assertThat(key).startsWith("fs.s3a.bucket." + BUCKET + "."),
                        key -> assertThat(key).isEqualTo("fs." + scheme + ".impl")));
  }

  @Test
  void theSameSettingsShareAScheme() {
    try (SpillStore same = newStore()) {
      String a = store.sparkUri("");
      String b = same.sparkUri("");
      assertThat(b.substring(0, b.indexOf(':'))).isEqualTo(a.substring(0, a.indexOf(':')));
    }
    java.util.Map<String, String> other =
        new java.util.LinkedHashMap<>(S3TestServer.get().options());
    other.put("s3.access-key-id", "someone-else");
    assertThat(S3SpillStore.scheme(S3SpillStore.sparkOptions(BUCKET, S3Settings.from(other))))
        .isNotEqualTo(
            S3SpillStore.scheme(S3SpillStore.sparkOptions(BUCKET, S3TestServer.get().settings())));
  }
}
