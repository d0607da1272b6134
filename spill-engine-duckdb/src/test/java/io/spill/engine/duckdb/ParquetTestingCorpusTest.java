package io.spill.engine.duckdb;

import io.spill.spi.FrameEngine;
import io.spill.testkit.ParquetTestingCorpusContract;

/** The parquet-testing corpus through the DuckDB engine. */
class ParquetTestingCorpusTest extends ParquetTestingCorpusContract<DuckDbFrame> {
  @Override
  protected FrameEngine<DuckDbFrame> newEngine() {
    return DuckDbEngine.create();
  }
}
