package io.spill.engine.arrow;

import java.util.Map;

/** Creates the Arrow engine: {@code VolumeSpiller.builder(spark).engine(ArrowEngine.create())}. */
public final class ArrowEngine {
  private ArrowEngine() {}

  /** An engine with the default batch size (65,536 rows). */
  public static ArrowFrameEngine create() {
    return new ArrowFrameEngine();
  }

  /**
   * An engine with options, such as {@code arrow.batch-rows}.
   *
   * @throws io.spill.spi.SpillConfigurationException for an unknown key or an unusable value
   */
  public static ArrowFrameEngine create(Map<String, String> options) {
    ArrowFrameEngine engine = new ArrowFrameEngine();
    for (String key : options.keySet()) {
      if (!engine.optionKeys().contains(key)) {
        engine.close();
        throw new io.spill.spi.SpillConfigurationException("unknown option '" + key
            + "' for arrow; known keys: " + engine.optionKeys());
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
