package io.spill.engine.duckdb;

import io.spill.spi.FrameEngine;
import io.spill.spi.FrameEngineProvider;
import java.util.Map;
import java.util.Set;

/** Serves the engine name {@code duckdb}: an in-memory {@link DuckDbFrameEngine}. */
public final class DuckDbFrameEngineProvider implements FrameEngineProvider {

  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public Set<String> optionKeys() {
    return DuckDbFrameEngine.OPTION_KEYS;
  }

  @Override
  public FrameEngine<?> create(Map<String, String> options) {
    DuckDbFrameEngine engine = DuckDbEngine.create();
    try {
      engine.configure(options);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }
}
