package io.spill.spi.helpers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalPathsTest {
  @Test
  void aFolderIsMadeAbsolute() {
    assertThat(LocalPaths.check("localDir", "x", Path.of("/tmp/a b/[1]")))
        .isEqualTo(Path.of("/tmp/a b/[1]"));
    assertThat(LocalPaths.check("localDir", "x", Path.of("rel/dir")))
        .isEqualTo(Path.of("rel/dir").toAbsolutePath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/tmp/../etc", "a/./b", ".", ".."})
  void dotSegmentsAreRefusedNamingWhatTheFolderIs(String bad) {
    assertThatThrownBy(() -> LocalPaths.check("uc.mount-root", bad, Path.of(bad)))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("uc.mount-root '" + bad + "'")
        .hasMessageContaining("without '.' or '..'");
  }

  @Test
  void aTildeABackslashAndNothingAreRefused() {
    assertThatThrownBy(() -> LocalPaths.check("localDir", "~/x", Path.of("~/x")))
        .hasMessageContaining("does not expand");
    assertThatThrownBy(() -> LocalPaths.check("localDir", "a\\b", Path.of("a\\b")))
        .hasMessageContaining("backslash");
    assertThatThrownBy(() -> LocalPaths.check("localDir", "", Path.of("")))
        .hasMessageContaining("empty");
  }
}
