package io.spill.internal;

import io.spill.Mode;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillStore;
import io.spill.spi.TimestampPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a {@code VolumeSpiller.Builder} collected, unchecked: {@link Startup} checks it all before
 * any I/O.
 *
 * @param spark the session
 * @param engine the engine, or null if none was chosen
 * @param location the store's location, or null
 * @param volume catalog, schema and volume of a Unity Catalog volume, or null
 * @param store a store the caller made, or null
 * @param mode the mode teardown follows
 * @param localDir the driver-local folder, or null for the default
 * @param options the options by key
 * @param timestampPolicy what happens to sub-microsecond digits
 * @param shutdownHook whether a JVM shutdown hook tears the run down
 */
public record SpillerSettings<F>(
    SparkSession spark,
    FrameEngine<F> engine,
    String location,
    List<String> volume,
    SpillStore store,
    Mode mode,
    Path localDir,
    Map<String, String> options,
    TimestampPolicy timestampPolicy,
    boolean shutdownHook) {
  public SpillerSettings {
    volume = volume == null ? null : List.copyOf(volume);
    options = Map.copyOf(options);
  }
}
