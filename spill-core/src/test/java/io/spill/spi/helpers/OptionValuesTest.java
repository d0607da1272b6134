package io.spill.spi.helpers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionValuesTest {
  enum Color {
    RED,
    DARK_BLUE
  }

  @Test
  void sizesInBytesAndPowersOf1024() {
    assertThat(OptionValues.bytes("k", "0")).isZero();
    assertThat(OptionValues.bytes("k", "268435456")).isEqualTo(268_435_456L);
    assertThat(OptionValues.bytes("k", " 16MiB ")).isEqualTo(16L << 20);
    assertThat(OptionValues.bytes("k", "16 mib")).isEqualTo(16L << 20);
    assertThat(OptionValues.bytes("k", "3KiB")).isEqualTo(3072);
    assertThat(OptionValues.bytes("k", "2GiB")).isEqualTo(2L << 30);
    assertThat(OptionValues.bytes("k", "1TiB")).isEqualTo(1L << 40);
    assertThat(OptionValues.bytes("k", "7B")).isEqualTo(7);
    assertThat(OptionValues.bytes("k", "8388607TiB")).isEqualTo(8_388_607L << 40);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1.5MiB", "16MB", "lots", "8388608TiB", "99999999999999999999"})
  void badSizesNameTheKeyTheValueAndAnExample(String bad) {
    assertThatThrownBy(() -> OptionValues.bytes("s3.part-size", bad))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("s3.part-size must be a size in bytes")
        .hasMessageContaining("256MiB")
        .hasMessageContaining("'" + bad + "'");
  }

  @Test
  void durationsWithUnitsOrIso() {
    assertThat(OptionValues.duration("k", "60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(OptionValues.duration("k", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(OptionValues.duration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(OptionValues.duration("k", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(OptionValues.duration("k", "2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(OptionValues.duration("k", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(OptionValues.duration("k", "PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(OptionValues.duration("k", "pt0.5s")).isEqualTo(Duration.ofMillis(500));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "60", "sixty s", "-5s", "PT-5S", "P", "1e3s"})
  void badDurationsNameTheKey(String bad) {
    assertThatThrownBy(() -> OptionValues.duration("uc.retry-timeout", bad))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("uc.retry-timeout must be a duration such as 60s")
        .hasMessageContaining("'" + bad + "'");
  }

  @Test
  void integersBooleansAndChoices() {
    assertThat(OptionValues.integer("t", " 8 ", 1, 64)).isEqualTo(8);
    assertThatThrownBy(() -> OptionValues.integer("s3.threads", "65", 1, 64))
        .hasMessage("s3.threads must be 1 to 64, got 65");
    assertThatThrownBy(() -> OptionValues.integer("s3.threads", "eight", 1, 64))
        .hasMessageContaining("whole number from 1 to 64")
        .hasMessageContaining("'eight'");
    assertThat(OptionValues.bool("b", "TRUE")).isTrue();
    assertThat(OptionValues.bool("b", "false")).isFalse();
    assertThatThrownBy(() -> OptionValues.bool("s3.path-style-access", "yes"))
        .hasMessage("s3.path-style-access must be true or false, got 'yes'");
    assertThat(OptionValues.choice("c", Color.class, "dark_blue")).isEqualTo(Color.DARK_BLUE);
    assertThatThrownBy(() -> OptionValues.choice("uc.files", Color.class, "green"))
        .hasMessage("uc.files must be one of [red, dark_blue], got 'green'");
  }
}
