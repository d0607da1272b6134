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
  void eachPathAndTheArrowLimit() {
    assertThat(ToEngine.auto().path()).isEqualTo(ToEngine.Path.AUTO);
    assertThat(ToEngine.arrow().path()).isEqualTo(ToEngine.Path.ARROW);
    assertThat(ToEngine.auto().isLazy()).isFalse();
    assertThat(ToEngine.arrow().isLazy()).isFalse();
    assertThat(ToEngine.auto().arrowLimitBytes()).isEqualTo(ToEngine.DEFAULT_ARROW_LIMIT_BYTES);
    ToEngine small = ToEngine.auto().arrowLimitBytes(1 << 20);
    assertThat(small.arrowLimitBytes()).isEqualTo(1 << 20);
    assertThat(small).isNotEqualTo(ToEngine.auto()).hasToString("auto, Arrow limit 1048576 bytes");
    assertThat(ToEngine.eager()).isNotEqualTo(ToEngine.auto()).hasToString("eager");
    assertThatThrownBy(() -> ToEngine.arrow().arrowLimitBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }

  @Test
  void autosArrowThresholdIsItsOwnSetting() {
    assertThat(ToEngine.auto().autoArrowMaxEstimateBytes())
        .isEqualTo(ToEngine.DEFAULT_AUTO_ARROW_MAX_ESTIMATE_BYTES)
        .isLessThan(ToEngine.DEFAULT_ARROW_LIMIT_BYTES);
    ToEngine never = ToEngine.auto().autoArrowMaxEstimateBytes(0);
    assertThat(never.autoArrowMaxEstimateBytes()).isZero();
    assertThat(never.arrowLimitBytes()).isEqualTo(ToEngine.DEFAULT_ARROW_LIMIT_BYTES);
    assertThat(never)
        .isNotEqualTo(ToEngine.auto())
        .isEqualTo(ToEngine.auto().autoArrowMaxEstimateBytes(0))
        .hasToString("auto, auto takes Arrow up to an estimate of 0 bytes");
    // each copy keeps the threshold
    assertThat(never.arrowLimitBytes(1 << 20).optimizeFiles(true).autoArrowMaxEstimateBytes())
        .isZero();
    assertThatThrownBy(() -> ToEngine.auto().autoArrowMaxEstimateBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autoArrowMaxEstimateBytes must be 0 (auto() always spills) or more");
  }

  @Test
  void tinyTargetsAreRefused() {
    assertThatThrownBy(() -> ToEngine.eager().targetFileBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 MiB");
  }
}
