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
  void sparkAddressesTheStoreThroughS3a() {
    assertThat(store.sparkUri("a/b.parquet"))
        .startsWith("s3a://" + BUCKET + "/contract-")
        .endsWith("/a/b.parquet");
    assertThat(store.sparkOptions())
        .allSatisfy((k, v) -> assertThat(k).startsWith("fs.s3a.bucket." + BUCKET + "."));
  }
}
