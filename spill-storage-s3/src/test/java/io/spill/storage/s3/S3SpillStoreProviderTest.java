package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SpillStoreProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class S3SpillStoreProviderTest {
  @Test
  void theServicesFileRegistersS3AndS3a() {
    SpillStoreProvider provider =
        ServiceLoader.load(SpillStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.schemes().contains("s3"))
            .findFirst()
            .orElseThrow();
    assertThat(provider).isInstanceOf(S3SpillStoreProvider.class);
    assertThat(provider.schemes()).containsExactlyInAnyOrder("s3", "s3a");
    assertThat(provider.optionNamespace()).isEqualTo("s3");
    assertThat(provider.optionKeys())
        .contains(
            "s3.endpoint",
            "s3.region",
            "s3.path-style-access",
            "s3.access-key-id",
            "s3.secret-access-key",
            "s3.session-token");
    String bucket = S3TestServer.get().newBucket();
    try (var store = provider.create("s3a://" + bucket + "/x/", S3TestServer.get().options())) {
      assertThat(store.describe()).isEqualTo("s3://" + bucket + "/x");
      assertThat(store.sparkUri("")).matches("s3a-spill-[0-9a-f]{12}://" + bucket + "/x");
    }
  }

  @Test
  void sparkSettingsAreScopedToTheBucket() {
    var options = S3SpillStore.sparkOptions("b-1", S3TestServer.get().settings());
    assertThat(options)
        .containsEntry("fs.s3a.bucket.b-1.path.style.access", "true")
        .containsEntry("fs.s3a.bucket.b-1.connection.ssl.enabled", "false")
        .containsEntry("fs.s3a.bucket.b-1.endpoint.region", "us-east-1")
        .containsKey("fs.s3a.bucket.b-1.secret.key");
    assertThat(options.keySet()).allMatch(k -> k.startsWith("fs.s3a.bucket.b-1."));
  }
}
