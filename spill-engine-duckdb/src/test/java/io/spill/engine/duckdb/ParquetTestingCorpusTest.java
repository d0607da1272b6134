package io.spill.engine.duckdb;

import io.spill.testkit.ParquetTestingCorpus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parquet that spill did not write: every file of the public corpus {@code apache/parquet-testing}
 * (in the quick tier, a subset of each outcome and layout) through the DuckDB engine, eager and
 * lazy, held to Spark's own reading of it ({@link ParquetTestingCorpus}).
 */
class ParquetTestingCorpusTest {
  private static DuckDbFrameEngine engine;

  @BeforeAll
  static void open() {
    engine = DuckDbEngine.create();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static List<String> files() {
    return ParquetTestingCorpus.namesForTier();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readsAsSparkReadsOrRefuses(String name, @TempDir Path dir) {
    System.out.print("corpus, DuckDB engine: " + ParquetTestingCorpus.check(engine, name, dir));
  }
}
