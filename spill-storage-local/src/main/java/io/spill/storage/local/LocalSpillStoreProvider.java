package io.spill.storage.local;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Serves {@code file:} URIs and plain paths with a {@link LocalSpillStore}: the driver-local store
 * of {@code Storage.LOCAL}, and the store spill uses when none is named.
 */
public final class LocalSpillStoreProvider implements SpillStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public SpillStore create(String location, Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new SpillConfigurationException(
          "the local store takes no options, got " + options.keySet());
    }
    return new LocalSpillStore(LocalRoots.parse(location));
  }
}
