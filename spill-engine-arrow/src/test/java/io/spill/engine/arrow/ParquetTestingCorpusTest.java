package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.FrameEngine;
import io.spill.spi.SpillException;
import io.spill.testkit.ParquetTestingCorpus;
import io.spill.testkit.ParquetTestingCorpusContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parquet-testing corpus through the Arrow engine, with no Arrow memory left after each file;
 * and the reasons its refusals give.
 */
class ParquetTestingCorpusTest extends ParquetTestingCorpusContract<ArrowFrame> {
  @Override
  protected FrameEngine<ArrowFrame> newEngine() {
    return ArrowEngine.create();
  }

  @Override
  protected void afterEachFile() {
    assertThat(((ArrowFrameEngine) engine()).allocatedBytes()).isZero();
  }

  /** The refusals of files Spark cannot read either say why, in words a user can act on. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "non_hadoop_lz4_compressed.parquet|LZ4 without Hadoop's framing",
        "nation.dict-malformed.parquet|a page ends before the values it declares",
        "large_string_map.brotli.parquet|compression codec is not on the class path"
      })
  void refusalsSayWhy(String name, String why, @TempDir Path dir) {
    Path file = ParquetTestingCorpus.copy(name, dir);
    FrameEngine<ArrowFrame> engine = engine();
    for (boolean lazy : new boolean[] {false, true}) {
      assertThatThrownBy(
              () -> {
                try (ArrowFrame frame = engine.read(List.of(file.toString()), null, lazy)) {
                  engine.write(frame, dir.resolve("out-" + lazy).toString(), 1L << 27);
                }
              })
          .isInstanceOf(SpillException.class)
          .hasMessageContaining(name)
          .hasMessageContaining(why);
    }
    afterEachFile();
  }
}
