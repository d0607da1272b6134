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
    assertThat(ToEngine.auto().arrowLimitBytes()).isEqualTo(ToEngine.defaultArrowLimitBytes());
    ToEngine small = ToEngine.auto().arrowLimitBytes(1 << 20);
    assertThat(small.arrowLimitBytes()).isEqualTo(1 << 20);
    assertThat(small).isNotEqualTo(ToEngine.auto()).hasToString("auto, Arrow limit 1048576 bytes");
    assertThat(ToEngine.eager()).isNotEqualTo(ToEngine.auto()).hasToString("eager");
    assertThatThrownBy(() -> ToEngine.arrow().arrowLimitBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }

  @Test
  void theDefaultLimitIsAnEighthOfTheHeapAndAtLeast256MiB() {
    // this suite's JVM runs with -Xmx3g: an eighth is 384 MiB
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(heap).isGreaterThan(8 * ToEngine.MIN_DEFAULT_ARROW_LIMIT_BYTES);
    assertThat(ToEngine.defaultArrowLimitBytes()).isEqualTo(heap / 8);
    assertThat(ToEngine.arrow().arrowLimitBytes()).isEqualTo(heap / 8);
  }

  @Test
  void autosArrowThresholdIsAFifthOfTheLimitUnlessSet() {
    assertThat(ToEngine.auto().autoArrowMaxEstimateBytes())
        .isEqualTo(ToEngine.defaultArrowLimitBytes() / 5);
    // it follows a limit set later, and earlier
    assertThat(ToEngine.auto().arrowLimitBytes(100_000).autoArrowMaxEstimateBytes())
        .isEqualTo(20_000);
    ToEngine never = ToEngine.auto().autoArrowMaxEstimateBytes(0);
    assertThat(never.autoArrowMaxEstimateBytes()).isZero();
    assertThat(never.arrowLimitBytes()).isEqualTo(ToEngine.defaultArrowLimitBytes());
    assertThat(never)
        .isNotEqualTo(ToEngine.auto())
        .isEqualTo(ToEngine.auto().autoArrowMaxEstimateBytes(0))
        .hasToString("auto, auto takes Arrow up to an estimate of 0 bytes");
    // each copy keeps the threshold, and a limit set after it does not move it
    assertThat(never.arrowLimitBytes(1 << 20).optimizeFiles(true).autoArrowMaxEstimateBytes())
        .isZero();
    assertThat(
            ToEngine.auto()
                .autoArrowMaxEstimateBytes(5_000)
                .arrowLimitBytes(100_000)
                .autoArrowMaxEstimateBytes())
        .isEqualTo(5_000);
    assertThat(ToEngine.auto()).hasToString("auto");
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
