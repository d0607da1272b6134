package io.spill.internal;

import io.spill.spi.FrameEngineProvider;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStoreProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store and engine providers found through {@link ServiceLoader}. A provider that fails to
 * load, or whose {@code schemes()} or {@code name()} fails, is reported and skipped, and the others
 * are still used; two providers for one scheme or name are reported and the first on the class path
 * wins ({@code .store(SpillStore)} and {@code .engine(FrameEngine)} choose one explicitly).
 */
public final class ProviderRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  /** Where spill's own adapters live, so that a missing one is an error naming the module. */
  private static final Map<String, String> KNOWN_STORE_MODULES =
      Map.of(
          "file", "spill-storage-local",
          "dbfs", "spill-storage-uc",
          "s3", "spill-storage-s3",
          "s3a", "spill-storage-s3");

  private static final Map<String, String> KNOWN_ENGINE_MODULES =
      Map.of(
          "duckdb", "spill-engine-duckdb",
          "arrow", "spill-engine-arrow");

  /** What else a user could name when the store they asked for is missing. */
  private static final String OTHER_STORES =
      "or name another store: .volume(catalog, schema,"
          + " volume) (io.spill:spill-storage-uc), .store(\"s3://bucket/prefix\")"
          + " (io.spill:spill-storage-s3) or .store(SpillStore)";

  private final Map<String, SpillStoreProvider> stores;
  private final Map<String, FrameEngineProvider> engines;
  private final List<String> problems;

  private ProviderRegistry(
      Map<String, SpillStoreProvider> stores,
      Map<String, FrameEngineProvider> engines,
      List<String> problems) {
    this.stores = stores;
    this.engines = engines;
    this.problems = problems;
  }

  /** Loads the providers visible to {@code loader}. */
  public static ProviderRegistry load(ClassLoader loader) {
    List<String> problems = new ArrayList<>();
    Map<String, SpillStoreProvider> stores = new TreeMap<>();
    for (SpillStoreProvider p : loadAll(SpillStoreProvider.class, loader, problems)) {
      Set<String> schemes;
      try {
        schemes = p.schemes();
      } catch (RuntimeException | LinkageError e) {
        problems.add(
            "skipped the SpillStoreProvider "
                + p.getClass().getName()
                + ": its"
                + " schemes() failed: "
                + e);
        continue;
      }
      for (String scheme : schemes) {
        String key = scheme.toLowerCase(Locale.ROOT);
        SpillStoreProvider first = stores.putIfAbsent(key, p);
        if (first != null && first.getClass() != p.getClass()) {
          problems.add(
              "scheme '"
                  + key
                  + "' is served by both "
                  + first.getClass().getName()
                  + " and "
                  + p.getClass().getName()
                  + "; using the first (pass a store you made"
                  + " with .store(SpillStore) to choose)");
        }
      }
    }
    Map<String, FrameEngineProvider> engines = new TreeMap<>();
    for (FrameEngineProvider p : loadAll(FrameEngineProvider.class, loader, problems)) {
      String key;
      try {
        key = p.name().toLowerCase(Locale.ROOT);
      } catch (RuntimeException | LinkageError e) {
        problems.add(
            "skipped the FrameEngineProvider "
                + p.getClass().getName()
                + ": its"
                + " name() failed: "
                + e);
        continue;
      }
      FrameEngineProvider first = engines.putIfAbsent(key, p);
      if (first != null && first.getClass() != p.getClass()) {
        problems.add(
            "engine '"
                + key
                + "' is served by both "
                + first.getClass().getName()
                + " and "
                + p.getClass().getName()
                + "; using the first (pass an engine you made"
                + " with .engine(FrameEngine) to choose)");
      }
    }
    problems.forEach(LOG::warn);
    stores.forEach(
        (scheme, p) ->
            LOG.debug("spill: scheme '{}' is served by {}", scheme, p.getClass().getName()));
    return new ProviderRegistry(stores, engines, Collections.unmodifiableList(problems));
  }

  private static <T> List<T> loadAll(Class<T> type, ClassLoader loader, List<String> problems) {
    List<T> found = new ArrayList<>();
    var it = ServiceLoader.load(type, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return found;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add("skipped a broken " + type.getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  /** Problems met while loading (broken providers, duplicates), also logged as warnings. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The scheme of a location: a URI's scheme, {@code dbfs} for a plain {@code /Volumes/...} path,
   * {@code file} for any other plain path.
   */
  public static String schemeOf(String location) {
    if (location.startsWith("/Volumes/")) {
      return "dbfs";
    }
    int colon = location.indexOf(':');
    if (colon <= 1) { // no scheme, or a Windows drive letter
      return "file";
    }
    try {
      String scheme = new URI(location).getScheme();
      return scheme == null ? "file" : scheme.toLowerCase(Locale.ROOT);
    } catch (java.net.URISyntaxException e) {
      throw new SpillConfigurationException(
          "store location '"
              + location
              + "' is not a valid URI ("
              + e.getReason()
              + "); percent-encode special characters"
              + " or pass a plain path",
          e);
    }
  }

  /** The provider for a location's scheme, if one is on the class path. */
  public Optional<SpillStoreProvider> findStore(String location) {
    return Optional.ofNullable(stores.get(schemeOf(location)));
  }

  /** The provider for a location's scheme, or an error that names the module to add. */
  public SpillStoreProvider storeFor(String location) {
    String scheme = schemeOf(location);
    SpillStoreProvider p = stores.get(scheme);
    if (p != null) {
      return p;
    }
    String module = KNOWN_STORE_MODULES.get(scheme);
    String fix =
        module == null
            ? "add a module with a SpillStoreProvider for '"
                + scheme
                + "' (spill serves file:,"
                + " /Volumes/, dbfs:, s3: and s3a:)"
            : addModule(module) + ", " + OTHER_STORES;
    throw new SpillConfigurationException(
        "no spill store for scheme '"
            + scheme
            + "' in '"
            + location
            + "': "
            + fix
            + "; stores found: "
            + stores.keySet()
            + problemsNote());
  }

  /** The error for a run without a store when the driver-local store, the default, is missing. */
  public SpillConfigurationException noDefaultStore(String localDir) {
    return new SpillConfigurationException(
        "no store: without .store(...) or .volume(...)"
            + " spill uses the driver-local folder "
            + localDir
            + ", which needs the module"
            + " io.spill:spill-storage-local; "
            + addModule("spill-storage-local")
            + ", "
            + OTHER_STORES
            + "; stores found: "
            + stores.keySet()
            + problemsNote());
  }

  /** The provider of an engine name, or an error that names the module to add. */
  public FrameEngineProvider engineNamed(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    FrameEngineProvider p = engines.get(key);
    if (p != null) {
      return p;
    }
    String module = KNOWN_ENGINE_MODULES.get(key);
    String fix =
        module == null
            ? "use one of "
                + engines.keySet()
                + " or add a module with a"
                + " FrameEngineProvider named '"
                + key
                + "'"
            : addModule(module);
    throw new SpillConfigurationException(
        "no spill engine named '"
            + name
            + "': "
            + fix
            + "; engines found: "
            + engines.keySet()
            + problemsNote());
  }

  private String problemsNote() {
    return problems.isEmpty() ? "" : "; providers skipped: " + problems;
  }

  private static String addModule(String spillModule) {
    return "add the dependency io.spill:"
        + spillModule
        + " (the spill-bom keeps versions"
        + " aligned)";
  }
}
