package io.spill.bench;

/** One way of moving the benchmark's rows, run several times. */
interface BenchCase {
  String SPARK_TO_DUCKDB = "Spark -> DuckDB";
  String TPCH_TO_DUCKDB = "TPC-H lineitem, Spark -> DuckDB";
  String DUCKDB_TO_SPARK = "DuckDB -> Spark";
  String S3_TO_DUCKDB = "S3 checkpoint -> DuckDB";
  String PARQUET_TO_ARROW = "Spilled Parquet -> Arrow";

  /**
   * {@link #SPARK_TO_DUCKDB}, {@link #TPCH_TO_DUCKDB}, {@link #DUCKDB_TO_SPARK}, {@link
   * #S3_TO_DUCKDB} or {@link #PARQUET_TO_ARROW}.
   */
  String direction();

  /** A short name for tables and the chart. */
  String name();

  /** The largest size this case is run at; larger sizes are reported as not run. */
  default long maxRows() {
    return Long.MAX_VALUE;
  }

  /** Moves the rows once, uses them, frees what it made; returns the rows moved. */
  long run() throws Exception;
}
