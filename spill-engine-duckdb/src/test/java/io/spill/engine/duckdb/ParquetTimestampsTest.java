package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.testkit.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The INT96 check reads every layout Spark writes: dictionary pages (few distinct values), plain
 * pages once the dictionary is given up (many, with a small dictionary page), data pages v1 and v2,
 * nested columns; it finds one value before 4713 BC among many, and passes files without one.
 */
class ParquetTimestampsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "distinct={0}, writer={1}")
  @CsvSource({"4, PARQUET_1_0", "4, PARQUET_2_0", "5000, PARQUET_1_0", "5000, PARQUET_2_0"})
  void aDayBefore4713BcIsFoundInEveryLayoutSparkWrites(int distinct, String writer)
      throws IOException {
    String ts =
        "TIMESTAMP'2024-01-01 00:00:00Z' + make_dt_interval(0, 0, 0, id % " + distinct + ")";
    List<String> good =
        write(
            "SELECT id, " + ts + " AS ts, named_struct('t', " + ts + ") AS s FROM range(5000)",
            writer,
            "good");
    assertThat(ParquetTimestamps.instantLeaves(good, false))
        .containsEntry("ts", "timestamp")
        .containsEntry("s.t", "timestamp");
    List<String> bad =
        write(
            "SELECT id, named_struct('t', CASE WHEN id = 4999 THEN"
                + " TIMESTAMP'-5000-01-01 00:00:00Z' ELSE "
                + ts
                + " END) AS s FROM range(5000)",
            writer,
            "bad");
    assertThatThrownBy(() -> ParquetTimestamps.instantLeaves(bad, true))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("INT96 column 's.t'")
        .hasMessageContaining("-5000-01-01T00:00:00Z")
        .hasMessageContaining("TIMESTAMP_MICROS");
  }

  private List<String> write(String sql, String writer, String name) throws IOException {
    Dataset<Row> df = SparkTestSession.get().sql(sql).coalesce(1);
    Path out = dir.resolve(name + "-" + writer);
    df.write()
        .option("parquet.writer.version", writer)
        .option("parquet.block.size", Integer.toString(1 << 20))
        // a small dictionary, so that 5,000 distinct values fall back to plain pages
        .option("parquet.dictionary.page.size", "4096")
        .parquet(out.toUri().toString());
    try (Stream<Path> files = Files.list(out)) {
      return files.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
    }
  }

  /**
   * A store adapter may hand DuckDB URIs of its own file systems: they are not read (parquet-java
   * reads local files here), and not refused either; a warning says what goes unchecked.
   */
  @Test
  void filesThatAreNotLocalAreLeftToTheSparkSchema() {
    assertThat(ParquetTimestamps.instantLeaves(List.of("s3://bucket/part-0.parquet"), false))
        .isEmpty();
  }
}
