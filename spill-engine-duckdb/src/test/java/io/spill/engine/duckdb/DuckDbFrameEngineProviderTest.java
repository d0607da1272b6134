package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.FrameEngineProvider;
import io.spill.spi.SpillConfigurationException;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DuckDbFrameEngineProviderTest {
  @Test
  void theServicesFileRegistersDuckDb() {
    FrameEngineProvider provider =
        ServiceLoader.load(FrameEngineProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("duckdb"))
            .findFirst()
            .orElseThrow();
    assertThat(provider).isInstanceOf(DuckDbFrameEngineProvider.class);
    try (var engine = provider.create(Map.of("duckdb.threads", "1"))) {
      assertThat(engine.frameType()).isEqualTo(DuckDbFrame.class);
    }
  }

  @Test
  void badOptionValuesFailAtCreation() {
    assertThatThrownBy(
            () -> new DuckDbFrameEngineProvider().create(Map.of("duckdb.memory-limit", "lots")))
        .isInstanceOf(SpillConfigurationException.class);
  }
}
