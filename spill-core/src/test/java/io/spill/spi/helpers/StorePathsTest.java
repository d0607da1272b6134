package io.spill.spi.helpers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorePathsTest {
  @Test
  void relativePathsPassAndTheRootOnlyWhereAllowed() {
    assertThat(StorePaths.requireRelative("_spill/runs/x/_run.json", false))
        .isEqualTo("_spill/runs/x/_run.json");
    assertThat(StorePaths.requireRelative("a b/[12]/%.txt", false)).isEqualTo("a b/[12]/%.txt");
    assertThat(StorePaths.requireRelative("", true)).isEmpty();
    assertThatThrownBy(() -> StorePaths.requireRelative("", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not its root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/abs", "a//b", "a/", "..", "a/../b", "./a", "a/.", "a\\b", "a\0b"})
  void pathsThatCouldLeaveTheRootAreRefused(String bad) {
    assertThatThrownBy(() -> StorePaths.requireRelative(bad, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a relative store path");
  }

  @Test
  void joins() {
    assertThat(StorePaths.join("", "a")).isEqualTo("a");
    assertThat(StorePaths.join("a/b", "c")).isEqualTo("a/b/c");
  }
}
