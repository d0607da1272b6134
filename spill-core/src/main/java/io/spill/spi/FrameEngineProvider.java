package io.spill.spi;

import java.util.Map;
import java.util.Set;

/**
 * Creates a {@link FrameEngine} by name, for jobs that pick their engine from configuration. Found
 * through {@link java.util.ServiceLoader}: a public no-argument constructor, no I/O until {@link
 * #create}, listed in {@code META-INF/services/io.spill.spi.FrameEngineProvider}.
 */
public interface FrameEngineProvider {

  /**
   * The engine's name, lower case, such as {@code duckdb} or {@code arrow}.
   *
   * @return the name
   */
  String name();

  /**
   * The option keys the created engine understands (see {@link FrameEngine#optionKeys()}).
   *
   * @return the keys
   */
  default Set<String> optionKeys() {
    return Set.of();
  }

  /**
   * Creates and configures a new engine.
   *
   * @param options options in the engine's namespace, already validated against {@link
   *     #optionKeys()}
   * @return a new engine the caller closes
   * @throws SpillConfigurationException if an option value is unusable
   */
  FrameEngine<?> create(Map<String, String> options);
}
