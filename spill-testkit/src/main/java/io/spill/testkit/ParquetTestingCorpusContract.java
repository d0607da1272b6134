package io.spill.testkit;

import io.spill.spi.FrameEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parquet that spill did not write: every file of the public corpus {@code apache/parquet-testing}
 * (in the quick tier, a subset of each outcome and layout) through an engine, eager and lazy, held
 * to Spark's own reading of it ({@link ParquetTestingCorpus}). An engine's test extends this class
 * and returns a new engine; one engine serves every file.
 *
 * @param <F> the engine's frame type
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ParquetTestingCorpusContract<F> {
  private FrameEngine<F> engine;

  /**
   * A new engine, closed after the last file.
   *
   * @return the engine
   */
  protected abstract FrameEngine<F> newEngine();

  /**
   * What must hold after each file, for example that the engine holds no memory; nothing unless
   * overridden.
   */
  protected void afterEachFile() {}

  /**
   * The engine under test.
   *
   * @return it
   */
  protected FrameEngine<F> engine() {
    return engine;
  }

  @BeforeAll
  void openEngine() {
    engine = newEngine();
  }

  @AfterAll
  void closeEngine() {
    engine.close();
  }

  List<String> files() {
    return ParquetTestingCorpus.namesForTier();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readsAsSparkReadsOrRefuses(String name, @TempDir Path dir) {
    System.out.print(
        "corpus, "
            + engine.getClass().getSimpleName()
            + ": "
            + ParquetTestingCorpus.check(engine, name, dir));
    afterEachFile();
  }
}
