package io.spill.spi;

import java.util.Map;
import java.util.Set;

/**
 * Creates {@link SpillStore}s for some URI schemes. Found through {@link java.util.ServiceLoader}:
 * an implementation has a public no-argument constructor, does no I/O until {@link #create} and is
 * listed in {@code META-INF/services/io.spill.spi.SpillStoreProvider}.
 */
public interface SpillStoreProvider {

  /**
   * The URI schemes this provider serves, lower case, for example {@code file} or {@code s3, s3a}.
   * A plain path counts as {@code file}; a plain {@code /Volumes/...} path as {@code dbfs}.
   *
   * @return a non-empty set
   */
  Set<String> schemes();

  /**
   * The option namespace this store reads, such as {@code s3} for keys {@code s3.region}; empty if
   * it reads none.
   *
   * @return the namespace, or ""
   */
  default String optionNamespace() {
    return "";
  }

  /**
   * The option keys this store understands, each starting with its namespace and a dot.
   *
   * @return the keys
   */
  default Set<String> optionKeys() {
    return Set.of();
  }

  /**
   * Opens a store rooted at {@code location}.
   *
   * @param location a URI with one of {@link #schemes()}, or a plain path
   * @param options the options in this provider's namespace (keys already validated against {@link
   *     #optionKeys()})
   * @return an open store; it may do I/O lazily
   * @throws SpillConfigurationException if the location or an option value is unusable
   */
  SpillStore create(String location, Map<String, String> options);

  /**
   * Opens a store for a run whose Spark session can run SQL for it. A store that manages its
   * container with DDL through the session (a Unity Catalog volume created with {@code CREATE
   * VOLUME}) overrides this; the default ignores {@code sql} and calls {@link #create(String,
   * Map)}.
   *
   * @param location a URI with one of {@link #schemes()}, or a plain path
   * @param options the options in this provider's namespace
   * @param sql runs a statement through the run's session, classic or Spark Connect
   * @return an open store; it may do I/O lazily
   * @throws SpillConfigurationException if the location or an option value is unusable
   */
  default SpillStore create(String location, Map<String, String> options, SqlRunner sql) {
    return create(location, options);
  }
}
