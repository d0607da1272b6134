package io.spill.internal;

import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import io.spill.spi.SqlRunner;
import io.spill.spi.helpers.LocalPaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a build resolves before any I/O: the store providers, the driver-local folder, and the
 * options split by namespace and checked against the keys the store and the engine know.
 */
final class StoreSetup {
  private final SpillStoreProvider localProvider;
  private final Path localDir;
  private final SpillStoreProvider volumeProvider;
  private final String location;
  private final Map<String, Map<String, String>> byNamespace;
  private final String engineNamespace;

  private StoreSetup(
      SpillStoreProvider localProvider,
      Path localDir,
      SpillStoreProvider volumeProvider,
      String location,
      Map<String, Map<String, String>> byNamespace,
      String engineNamespace) {
    this.localProvider = localProvider;
    this.localDir = localDir;
    this.volumeProvider = volumeProvider;
    this.location = location;
    this.byNamespace = byNamespace;
    this.engineNamespace = engineNamespace;
  }

  /**
   * Resolves providers and options; no I/O.
   *
   * @param location the volume store's location, or null for the local folder (or a store the
   *     caller made)
   * @param userStore whether the caller made the volume store
   * @param localDir the local folder, or null for {@code java.io.tmpdir/spill-<user>}
   * @throws SpillConfigurationException if a store module is missing, or an option is unknown
   */
  static StoreSetup resolve(
      ClassLoader loader,
      String location,
      boolean userStore,
      Path localDir,
      Map<String, String> options,
      FrameEngine<?> engine) {
    ProviderRegistry registry = ProviderRegistry.load(loader);
    Path dir =
        localDir != null
            ? LocalPaths.check("localDir", localDir.toString(), localDir)
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "spill-" + System.getProperty("user.name", "user"));
    SpillStoreProvider localProvider = registry.findStore(dir.toString()).orElse(null);
    if (location == null && !userStore && localProvider == null) {
      throw registry.noDefaultStore(dir.toString());
    }
    SpillStoreProvider volumeProvider = location == null ? null : registry.storeFor(location);

    Map<String, Map<String, String>> byNamespace = new LinkedHashMap<>();
    for (var e : options.entrySet()) {
      int dot = e.getKey().indexOf('.');
      String ns = dot > 0 ? e.getKey().substring(0, dot) : "";
      Set<String> known =
          ns.equals(engine.optionNamespace())
              ? engine.optionKeys()
              : volumeProvider != null && ns.equals(volumeProvider.optionNamespace())
                  ? volumeProvider.optionKeys()
                  : null;
      if (known == null || ns.isEmpty()) {
        throw new SpillConfigurationException(
            "option '"
                + e.getKey()
                + "' is not used by the"
                + " store ("
                + (location != null ? location : dir)
                + ") or the engine ("
                + engine.name()
                + "); options are namespaced, for example "
                + (engine.optionKeys().isEmpty() ? "s3.region" : engine.optionKeys()));
      }
      if (!known.contains(e.getKey())) {
        throw new SpillConfigurationException(
            "unknown option '"
                + e.getKey()
                + "' for "
                + ns
                + "; known keys: "
                + new TreeSet<>(known));
      }
      byNamespace.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
    }
    return new StoreSetup(
        localProvider, dir, volumeProvider, location, byNamespace, engine.optionNamespace());
  }

  /** The driver-local folder: the local store's root, and where spill's scratch space lives. */
  Path localDir() {
    return localDir;
  }

  /** The options in the engine's namespace. */
  Map<String, String> engineOptions() {
    return byNamespace.getOrDefault(engineNamespace, Map.of());
  }

  /** The driver-local store, or null without {@code spill-storage-local}. */
  SpillStore openLocal() {
    return localProvider == null ? null : localProvider.create(localDir.toString(), Map.of());
  }

  /** The volume store: from the location, or the local store itself when none was given. */
  SpillStore openVolume(SpillStore localStore, SqlRunner sql) {
    return volumeProvider == null
        ? localStore
        : volumeProvider.create(
            location, byNamespace.getOrDefault(volumeProvider.optionNamespace(), Map.of()), sql);
  }
}
