package io.spill.engine.arrow;

import io.spill.spi.FrameEngine;
import io.spill.spi.FrameEngineProvider;
import java.util.Map;
import java.util.Set;

/** The Arrow engine by name: {@code builder.engine("arrow", ArrowFrame.class)}. */
public final class ArrowEngineProvider implements FrameEngineProvider {

  @Override
  public String name() {
    return "arrow";
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of(ArrowFrameEngine.BATCH_ROWS);
  }

  @Override
  public FrameEngine<?> create(Map<String, String> options) {
    return ArrowEngine.create(options);
  }
}
