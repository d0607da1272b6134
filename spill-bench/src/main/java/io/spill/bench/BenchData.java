package io.spill.bench;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark's input: {@code rows} rows of 10 mixed columns (long, int, double, decimal, two
 * strings, date, timestamp, boolean, float), written once as Parquet so that every case reads the
 * same source at the same cost instead of recomputing or caching it in the driver's heap.
 */
final class BenchData {
  /** The schema the cases rely on (the Appender cases read the columns by position). */
  static final String DDL =
      "id BIGINT, qty INT, price DOUBLE, amount DECIMAL(18,2),"
          + " name STRING, category STRING, day DATE, ts TIMESTAMP, flag BOOLEAN, score FLOAT";

  private BenchData() {}

  /** The generated rows, as Spark computes them (deterministic). */
  static Dataset<Row> generate(SparkSession spark, long rows) {
    int partitions = (int) Math.max(2, Math.min(16, rows / 500_000));
    Dataset<Row> df =
        spark
            .range(0, rows, 1, partitions)
            .selectExpr(
                "id",
                "CAST(id % 1000 AS INT) AS qty",
                "CAST(id * 0.37 AS DOUBLE) AS price",
                "CAST((id % 100000) / 100.0 AS DECIMAL(18,2)) AS amount",
                "concat('customer-', CAST(id * 7919 % 1000003 AS STRING)) AS name",
                "element_at(array('books', 'games', 'tools', 'food', 'toys', 'music'),"
                    + " CAST(id % 6 AS INT) + 1) AS category",
                "date_add(DATE '2020-01-01', CAST(id % 2000 AS INT)) AS day",
                "TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id % 86400000)"
                    + " AS ts",
                "id % 3 = 0 AS flag",
                "CAST(id % 97 / 7.0 AS FLOAT) AS score");
    return checked(df, DDL);
  }

  /** {@code df}, once its schema is found to be {@code ddl}'s: the cases rely on it. */
  static Dataset<Row> checked(Dataset<Row> df, String ddl) {
    if (!df.schema().sameType(StructType.fromDDL(ddl))) {
      throw new IllegalStateException(
          "benchmark data has schema " + df.schema().toDDL() + ", expected " + ddl);
    }
    return df;
  }

  /** Writes the rows once as Parquet under {@code dir} and returns a Dataset reading them. */
  static Dataset<Row> source(SparkSession spark, long rows, Path dir) {
    String uri = dir.toUri().toString();
    generate(spark, rows).write().mode("overwrite").parquet(uri);
    return spark.read().parquet(uri);
  }
}
