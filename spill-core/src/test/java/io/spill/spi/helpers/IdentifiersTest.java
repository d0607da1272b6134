package io.spill.spi.helpers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.InvalidIdentifierException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

  @ParameterizedTest
  @ValueSource(strings = {"step_1_cleaned", "raw-spark.backup", "A", "9lives"})
  void acceptsCheckpointNames(String name) {
    assertThat(Identifiers.checkpointName(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "..",
        "a/b",
        "../etc",
        "a..b",
        ".hidden",
        "_spill",
        "a b",
        "x\u0000",
        "naïve",
        "a;DROP TABLE t"
      })
  void refusesCheckpointNamesThatCouldEscapeOrCollide(String name) {
    assertThatThrownBy(() -> Identifiers.checkpointName(name))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("invalid checkpoint name")
        .hasMessageContaining("for example 'step_1_cleaned'");
  }

  @Test
  void refusesOverlongCheckpointNames() {
    assertThat(Identifiers.checkpointName("a".repeat(128))).hasSize(128);
    assertThatThrownBy(() -> Identifiers.checkpointName("a".repeat(129)))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void controlCharactersAreShownEscapedInTheMessage() {
    assertThatThrownBy(() -> Identifiers.checkpointName("a\nb")).hasMessageContaining("a\\u000ab");
  }

  @Test
  void sqlNamesRejectInjection() {
    assertThat(Identifiers.sqlName("volume", "spill_vol")).isEqualTo("spill_vol");
    assertThatThrownBy(() -> Identifiers.sqlName("volume", "v`; DROP SCHEMA s; --"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("invalid volume name");
    assertThatThrownBy(() -> Identifiers.sqlName("catalog", "a.b"))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void quotingDoublesTheQuoteCharacter() {
    assertThat(Identifiers.quoteBackticks("we`ird")).isEqualTo("`we``ird`");
    assertThat(Identifiers.quoteDouble("a \"b\"")).isEqualTo("\"a \"\"b\"\"\"");
    assertThat(Identifiers.quoteLiteral("it's")).isEqualTo("'it''s'");
  }
}
