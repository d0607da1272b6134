package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SpillException;
import io.spill.spi.WriteResult;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet that spill did not write, from the public corpus {@code apache/parquet-testing} (kept in
 * {@code src/test/resources/parquet-testing} with its licence): the Arrow engine, eager and lazy,
 * either reads a file and gives Spark back exactly what Spark reads from it, or refuses it with a
 * {@link SpillException} that names the file and the reason. Never another exception, and never
 * other data.
 */
class ParquetTestingCorpusTest {
  private static ArrowFrameEngine engine;
  @TempDir static Path out;

  @BeforeAll
  static void open() {
    engine = ArrowEngine.create();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Path corpus(String name) throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(
                ParquetTestingCorpusTest.class.getResource("/parquet-testing/" + name),
                "missing test resource " + name)
            .toURI());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "alltypes_plain.parquet",
        "int96_from_spark.parquet",
        "hadoop_lz4_compressed.parquet",
        "non_hadoop_lz4_compressed.parquet",
        "lz4_raw_compressed.parquet",
        "nation.dict-malformed.parquet",
        "unknown-logical-type.parquet"
      })
  void readsAsSparkReadsOrRefusesNamingTheFile(String name) throws Exception {
    Path file = corpus(name);
    List<Row> spark;
    try {
      spark = SparkTestSession.get().read().parquet(file.toUri().toString()).collectAsList();
    } catch (Exception sparkCannot) { // then spill must refuse it too
      spark = null;
    }
    for (boolean lazy : new boolean[] {false, true}) {
      Path target = out.resolve(name + "-" + lazy);
      WriteResult written;
      try (ArrowFrame frame = engine.read(List.of(file.toString()), null, lazy)) {
        written = engine.write(frame, target.toString(), 1L << 27);
      } catch (SpillException refused) {
        assertThat(refused.getMessage()).as("the refusal names the file").contains(name);
        System.out.println(
            "corpus: " + name + " (lazy=" + lazy + ") refused: " + refused.getMessage());
        continue;
      }
      assertThat(spark).as("Spark cannot read " + name + ", and spill read it").isNotNull();
      SparkSamples.assertSameRows(spark, WrittenBack.read(target, written).collectAsList());
    }
    assertThat(engine.allocatedBytes()).isZero();
  }
}
