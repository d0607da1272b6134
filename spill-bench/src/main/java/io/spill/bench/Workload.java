package io.spill.bench;

/** The tables the Spark -> DuckDB cases move, each with the query every case runs on arrival. */
enum Workload {
  /** {@link BenchData}: 10 mixed columns. */
  SYNTHETIC(BenchCase.SPARK_TO_DUCKDB, Cases.USE),
  /**
   * {@link TpchData}: TPC-H {@code lineitem}; the query reads every column (the sums and extremes
   * TPC-H's first query computes, and the rest), so a lazy scan does the same work as a load.
   */
  LINEITEM(
      BenchCase.TPCH_TO_DUCKDB,
      "SELECT count(*), sum(l_quantity), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)),"
          + " max(l_returnflag), max(l_linestatus), min(l_shipdate), max(l_commitdate),"
          + " max(l_receiptdate), max(l_shipinstruct), max(l_shipmode), max(l_comment),"
          + " sum(l_orderkey), sum(l_partkey), sum(l_suppkey), sum(l_linenumber) FROM %s");

  private final String direction;
  private final String query;

  Workload(String direction, String query) {
    this.direction = direction;
    this.query = query;
  }

  /** The report's table this workload's cases go to. */
  String direction() {
    return direction;
  }

  /** The query over {@code table}; its first column is the row count. */
  String query(String table) {
    return String.format(query, table);
  }
}
