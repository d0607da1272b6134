package io.spill.engine.arrow;

import java.util.Map;

/** Creates the Arrow engine: {@code VolumeSpiller.builder(spark).engine(ArrowEngine.create())}. */
public final class ArrowEngine {
  private ArrowEngine() {}

  /**
   * An engine with the defaults: batches of at most 65,536 rows, and up to 512 MiB of the memory
   * closed frames gave back kept for the next frames.
   *
   * @return a new engine, which the caller (or the spiller it is given to) closes
   */
  public static ArrowFrameEngine create() {
    return new ArrowFrameEngine();
  }

  /**
   * An engine with options: {@code arrow.batch-rows} (the rows a batch holds at most) and {@code
   * arrow.retain-memory} (how much memory closed frames gave back the engine keeps, in bytes or
   * {@code KiB}/{@code MiB}/{@code GiB}; {@code 0} keeps none).
   *
   * @param options {@code arrow.*} options
   * @return a new engine
   * @throws io.spill.spi.SpillConfigurationException for an unknown key or an unusable value
   */
  public static ArrowFrameEngine create(Map<String, String> options) {
    ArrowFrameEngine engine = new ArrowFrameEngine();
    for (String key : options.keySet()) {
      if (!engine.optionKeys().contains(key)) {
        engine.close();
        throw new io.spill.spi.SpillConfigurationException(
            "unknown option '" + key + "' for arrow; known keys: " + engine.optionKeys());
      }
    }
    try {
      engine.configure(options);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }
}
