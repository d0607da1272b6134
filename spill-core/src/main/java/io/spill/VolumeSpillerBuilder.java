package io.spill;

import static java.util.Objects.requireNonNull;

import io.spill.internal.SpillerSettings;
import io.spill.internal.Startup;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.TimestampPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Configures a {@link VolumeSpiller}. Every setter changes this builder and returns it; nothing is
 * checked or opened before {@link #build()}. Without {@link #volume}/{@link #store}, the volume
 * store is the driver-local folder ({@link #localDir}, needs spill-storage-local).
 *
 * @param <F> the frame type of the chosen engine
 */
public final class VolumeSpillerBuilder<F> {
  private final SparkSession spark;
  private FrameEngine<F> engine;
  private String location;
  private List<String> volume;
  private SpillStore store;
  private Mode mode = Mode.DEV;
  private Path localDir;
  private final Map<String, String> options = new LinkedHashMap<>();
  private TimestampPolicy timestampPolicy = TimestampPolicy.TRUNCATE;
  private boolean shutdownHook = true;

  VolumeSpillerBuilder(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * The engine, such as {@code DuckDbEngine.create()}; the spiller owns it and closes it at
   * teardown, or when {@link #build()} fails. Returns this builder typed by the engine's frames.
   *
   * @param <G> the engine's frame type
   * @param engine the engine
   * @return this builder, typed by the engine's frames
   */
  @SuppressWarnings("unchecked")
  public <G> VolumeSpillerBuilder<G> engine(FrameEngine<G> engine) {
    VolumeSpillerBuilder<G> typed = (VolumeSpillerBuilder<G>) this;
    typed.engine = requireNonNull(engine, "engine is null");
    return typed;
  }

  /**
   * The engine by provider name (config-driven jobs), checked to return {@code frameType}; engine
   * options given with {@link #option} are applied at {@link #build()}.
   *
   * @param <G> the engine's frame type
   * @param name the provider's name, such as {@code duckdb}
   * @param frameType the frames it must return
   * @return this builder, typed by the engine's frames
   */
  public <G> VolumeSpillerBuilder<G> engine(String name, Class<G> frameType) {
    return engine(
        Startup.engineNamed(
            requireNonNull(name, "name is null"), requireNonNull(frameType, "frameType is null")));
  }

  /**
   * A Unity Catalog volume {@code /Volumes/catalog/schema/volume} (needs spill-storage-uc).
   *
   * @param catalog the catalog
   * @param schema the schema
   * @param volume the volume
   * @return this builder
   */
  public VolumeSpillerBuilder<F> volume(String catalog, String schema, String volume) {
    this.volume =
        List.of(
            requireNonNull(catalog, "catalog is null"),
            requireNonNull(schema, "schema is null"),
            requireNonNull(volume, "volume is null"));
    this.location = null;
    this.store = null;
    return this;
  }

  /**
   * A store by location: {@code s3://bucket/prefix}, {@code file:///data/spill}, a plain path
   * (taken literally; relative to the working directory; {@code ~}, {@code .} and {@code ..}
   * segments refused).
   *
   * @param location a URI or a plain path
   * @return this builder
   */
  public VolumeSpillerBuilder<F> store(String location) {
    if (requireNonNull(location, "location is null").isBlank()) {
      throw new SpillConfigurationException(
          "store location is blank; pass a URI such as"
              + " s3://bucket/prefix or file:///data/spill");
    }
    this.location = location;
    this.volume = null;
    this.store = null;
    return this;
  }

  /**
   * A store made by the caller; spill closes it at teardown (or when build fails).
   *
   * @param store the store
   * @return this builder
   */
  public VolumeSpillerBuilder<F> store(SpillStore store) {
    this.store = requireNonNull(store, "store is null");
    this.location = null;
    this.volume = null;
    return this;
  }

  /**
   * {@code true}: {@link Mode#DEV} (the default); {@code false}: {@link Mode#PROD}.
   *
   * @param dev whether DEV
   * @return this builder
   */
  public VolumeSpillerBuilder<F> dev(boolean dev) {
    return mode(dev ? Mode.DEV : Mode.PROD);
  }

  /**
   * The mode teardown follows.
   *
   * @param mode the mode
   * @return this builder
   */
  public VolumeSpillerBuilder<F> mode(Mode mode) {
    this.mode = requireNonNull(mode, "mode is null");
    return this;
  }

  /**
   * The driver-local folder; default {@code java.io.tmpdir/spill-<user>}.
   *
   * @param localDir the folder
   * @return this builder
   */
  public VolumeSpillerBuilder<F> localDir(Path localDir) {
    this.localDir = requireNonNull(localDir, "localDir is null");
    return this;
  }

  /**
   * A setting for the store or the engine, by namespaced key ({@code s3.region}, {@code
   * duckdb.memory-limit}, ...). A key neither uses is an error at {@link #build()}.
   *
   * @param key the namespaced key
   * @param value the value
   * @return this builder
   */
  public VolumeSpillerBuilder<F> option(String key, String value) {
    options.put(
        requireNonNull(key, "key is null"),
        requireNonNull(value, "value of option " + key + " is null"));
    return this;
  }

  /**
   * Several settings, as {@link #option(String, String)}.
   *
   * @param settings keys and values
   * @return this builder
   */
  public VolumeSpillerBuilder<F> options(Map<String, String> settings) {
    requireNonNull(settings, "settings is null").forEach(this::option);
    return this;
  }

  /**
   * What happens to sub-microsecond timestamp digits on the way to Spark; default truncate.
   *
   * @param policy the policy
   * @return this builder
   */
  public VolumeSpillerBuilder<F> timestampPolicy(TimestampPolicy policy) {
    this.timestampPolicy = requireNonNull(policy, "policy is null");
    return this;
  }

  /**
   * Whether a JVM shutdown hook tears the run down if the program ends without it (default).
   *
   * @param on whether to add the hook
   * @return this builder
   */
  public VolumeSpillerBuilder<F> shutdownHook(boolean on) {
    this.shutdownHook = on;
    return this;
  }

  /**
   * Checks every setting before any I/O, then opens the stores (creating a missing container),
   * takes the run's lease and starts the run. If anything fails, nothing is left behind: the engine
   * and stores are closed, and a container or lease this call created is removed.
   *
   * @return the started spiller
   * @throws SpillConfigurationException if no engine is set, a store module is missing, an option
   *     key is used by neither the store nor the engine, or a location is unusable
   */
  public VolumeSpiller<F> build() {
    return new VolumeSpiller<>(
        Startup.start(
            new SpillerSettings<>(
                spark,
                engine,
                location,
                volume,
                store,
                mode,
                localDir,
                options,
                timestampPolicy,
                shutdownHook)));
  }
}
