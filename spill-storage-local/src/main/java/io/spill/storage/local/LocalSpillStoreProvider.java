package io.spill.storage.local;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Serves {@code file:} URIs and plain paths with a {@link LocalSpillStore}. */
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
    Path root;
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        root = Path.of(URI.create(location));
      } catch (IllegalArgumentException e) {
        throw new SpillConfigurationException("'" + location + "' is not a usable file: URI ("
            + e.getMessage() + "); write it as file:///absolute/path", e);
      }
    } else {
      root = Path.of(location);
    }
    return new LocalSpillStore(root);
  }
}
