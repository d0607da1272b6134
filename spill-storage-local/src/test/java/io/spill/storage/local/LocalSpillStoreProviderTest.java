package io.spill.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStoreProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalSpillStoreProviderTest {
  @TempDir Path tmp;

  @Test
  void theServicesFileRegistersTheProviderForFile() {
    SpillStoreProvider provider =
        ServiceLoader.load(SpillStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p instanceof LocalSpillStoreProvider)
            .findFirst()
            .orElseThrow();
    assertThat(provider.schemes()).containsExactly("file");
  }

  @Test
  void createsStoresFromFileUrisAndPlainPaths() {
    var provider = new LocalSpillStoreProvider();
    var fromUri = (LocalSpillStore) provider.create(tmp.toUri().toString(), Map.of());
    var fromPath = (LocalSpillStore) provider.create(tmp.toString(), Map.of());
    assertThat(fromUri.root()).isEqualTo(tmp);
    assertThat(fromPath.root()).isEqualTo(tmp);
  }

  @Test
  void plainPathsAreLiteralAndFileUrisArePercentDecoded() {
    String odd = "a b%20c'd[12]{x,y}?e*f\"g";
    assertThat(LocalRoots.parse(tmp.resolve(odd).toString())).isEqualTo(tmp.resolve(odd));
    assertThat(LocalRoots.parse(tmp.resolve(odd).toUri().toString())).isEqualTo(tmp.resolve(odd));
    assertThat(LocalRoots.parse("relative/spill"))
        .isEqualTo(Path.of("relative/spill").toAbsolutePath());
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "./", "a/../../x", "/tmp/x/../y", "/tmp/./x"})
  void dotSegmentsAreRefusedWithTheFix(String location) {
    assertThatThrownBy(() -> LocalRoots.parse(location))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("without '.' or '..'");
  }

  @Test
  void aBackslashIsRefusedBecauseEnginesReadItAsASeparator() {
    assertThatThrownBy(() -> LocalRoots.parse("/tmp/back\\slash"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("backslash");
  }

  @Test
  void aTildeIsRefusedBecauseJavaDoesNotExpandIt() {
    assertThatThrownBy(() -> LocalRoots.parse("~/spill"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("does not expand")
        .hasMessageContaining("user.home");
  }

  @Test
  void refusesOptionsAndBadUris() {
    var provider = new LocalSpillStoreProvider();
    assertThatThrownBy(() -> provider.create(tmp.toString(), Map.of("local.x", "1")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("no options");
    assertThatThrownBy(() -> provider.create("file://host/share", Map.of()))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("file:///absolute/path");
    assertThatThrownBy(() -> provider.create("file:///tmp/a b", Map.of()))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("%20");
  }
}
