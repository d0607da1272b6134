package io.spill.local;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Serves {@code file:} URIs and plain paths with a {@link LocalSpillStore}. Part of spill-core, so
 * that the driver-local store (also the default when no store is given) needs no other module.
 */
public final class LocalSpillStoreProvider implements SpillStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public SpillStore create(String location, Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new SpillConfigurationException("the local store takes no options, got "
          + options.keySet());
    }
    return new LocalSpillStore(LocalRoots.parse(location));
  }
}
