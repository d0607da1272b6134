package io.spill.storage.s3;

import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Serves {@code s3://} and {@code s3a://} locations with an {@link S3SpillStore}; options in the
 * {@code s3} namespace ({@code s3.endpoint}, {@code s3.region}, ...: see {@link S3Settings}).
 */
public final class S3SpillStoreProvider implements SpillStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("s3", "s3a");
  }

  @Override
  public String optionNamespace() {
    return "s3";
  }

  @Override
  public Set<String> optionKeys() {
    return S3Settings.KEYS;
  }

  @Override
  public SpillStore create(String location, Map<String, String> options) {
    return S3SpillStore.open(location, S3Settings.from(options));
  }
}
