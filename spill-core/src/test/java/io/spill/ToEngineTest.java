package io.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToEngineTest {
  @Test
  void defaultsAndCopies() {
    assertThat(ToEngine.eager().isLazy()).isFalse();
    ToEngine t = ToEngine.lazy().optimizeFiles(true).targetFileBytes(64L << 20);
    assertThat(t.isLazy()).isTrue();
    assertThat(t.optimizesFiles()).isTrue();
    assertThat(t.targetFileBytes()).isEqualTo(64L << 20);
    assertThat(ToEngine.lazy().optimizesFiles()).isFalse();
    assertThat(t).isEqualTo(ToEngine.lazy().targetFileBytes(64L << 20).optimizeFiles(true));
  }

  @Test
  void tinyTargetsAreRefused() {
    assertThatThrownBy(() -> ToEngine.eager().targetFileBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 MiB");
  }
}
