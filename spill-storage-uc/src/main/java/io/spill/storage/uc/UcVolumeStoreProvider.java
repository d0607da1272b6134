package io.spill.storage.uc;

import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import io.spill.spi.SqlRunner;
import java.util.Map;
import java.util.Set;

/** Unity Catalog volumes: {@code /Volumes/c/s/v[/folder]} and {@code dbfs:/Volumes/...}. */
public final class UcVolumeStoreProvider implements SpillStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("dbfs");
  }

  @Override
  public String optionNamespace() {
    return "uc";
  }

  @Override
  public Set<String> optionKeys() {
    return UcSettings.KEYS;
  }

  @Override
  public SpillStore create(String location, Map<String, String> options) {
    return create(location, options, null);
  }

  @Override
  public SpillStore create(String location, Map<String, String> options, SqlRunner sql) {
    return UcVolumeStore.open(location, UcSettings.from(options), sql);
  }
}
