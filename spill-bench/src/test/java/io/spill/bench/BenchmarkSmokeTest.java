package io.spill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.testkit.Soak;
import io.spill.testkit.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole benchmark once at a tiny size: every case works and the report is written. */
class BenchmarkSmokeTest {
  /**
   * The scale case starts a JVM with Spark and fills a 512 MiB heap (about 30 s): the full tier
   * runs it, the quick tier reports it as not run.
   */
  private static final String SCALE_RATIO = Soak.isFull() ? "0.01" : "0";

  @TempDir Path tmp;

  @Test
  void everyCaseRunsAndTheReportAndChartAreWritten() throws Exception {
    var options =
        BenchmarkMain.Options.parse(
            new String[] {
              "--sizes",
              "2000",
              "--runs",
              "1",
              "--out",
              tmp.resolve("docs").toString(),
              "--scale-ratio",
              SCALE_RATIO,
              "--scale-xmx",
              "512m",
              "--s3-sizes",
              "2000",
              "--arrow-sizes",
              "2000",
              "--warmups",
              "0",
              "--rss",
              "in-process",
              "--tpch-sf",
              "0.001"
            });
    if (!Soak.isFull()) {
      System.out.println("BenchmarkSmokeTest: the scale case runs in the full tier (-Pfull)");
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Measurement> results =
        BenchmarkMain.run(
            SparkTestSession.get(),
            options,
            tmp.resolve("work"),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(results)
        .hasSize(29)
        .allSatisfy(
            m -> {
              assertThat(m.failure()).as(m.name()).isNull();
              assertThat(m.heapPeakBytes()).isPositive();
            });
    assertThat(SparkTestSession.get().conf().get(Cases.ARROW_BATCH_ROWS, null))
        .as("the large-batch case restores the session's setting")
        .isNull();
    assertThat(results)
        .filteredOn(m -> !m.direction().equals(BenchCase.TPCH_TO_DUCKDB))
        .allSatisfy(m -> assertThat(m.rows()).isEqualTo(2000));
    // lineitem at scale factor 0.001: 1,500 orders of 1 to 7 lines each, in every case
    List<Long> lineitemRows =
        results.stream()
            .filter(m -> m.direction().equals(BenchCase.TPCH_TO_DUCKDB))
            .map(Measurement::rows)
            .toList();
    assertThat(lineitemRows).hasSize(9).containsOnly(lineitemRows.get(0));
    assertThat(lineitemRows.get(0)).isBetween(1_500L, 10_500L);
    String md = Files.readString(tmp.resolve("docs/BENCHMARKS.md"));
    assertThat(md)
        .contains(
            "| 2,000 | spill, eager |",
            "| 2,000 | " + Cases.AUTO + " |",
            "| 2,000 | Arrow batches -> DuckDB |",
            "| 2,000 | " + Cases.ARROW_LARGE_BATCHES + " |",
            "| 2,000 | Arrow batches -> Arrow engine |",
            "| 2,000 | spill, lazy |",
            "collectAsList + Appender",
            "toLocalIterator + Appender",
            BenchReport.FLOOR,
            "spill engineToSpark",
            Cases.HUGEINT_CASE,
            BenchReport.JDBC,
            "Spark 4.2",
            "DuckDB v",
            Soak.isFull() ? "without `OutOfMemoryError`" : "Not run (--scale-ratio 0).",
            "## " + BenchCase.TPCH_TO_DUCKDB,
            " | " + Cases.AUTO + " |",
            "## S3 checkpoint -> DuckDB",
            "| 2,000 | spill loadCheckpointFrame (download + load) |",
            S3Bench.SPARK_READS,
            S3Bench.DOWNLOAD,
            "## Spilled Parquet -> Arrow",
            "| 2,000 | " + ArrowBench.DUCKDB + " |",
            "| 2,000 | " + ArrowBench.EAGER + " |",
            "| 2,000 | " + ArrowBench.LAZY + " |",
            "| 2,000 | " + ArrowBench.EAGER_FRESH + " |");
    byte[] png = Files.readAllBytes(tmp.resolve("docs/benchmarks.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void casesAboveTheirLimitAreReportedAsNotRun() throws Exception {
    var options =
        BenchmarkMain.Options.parse(
            new String[] {
              "--sizes",
              "1000",
              "--runs",
              "1",
              "--out",
              tmp.resolve("docs").toString(),
              "--scale-ratio",
              "0",
              "--local-rows-limit",
              "500",
              "--s3-sizes",
              "0",
              "--arrow-sizes",
              "0",
              "--warmups",
              "0",
              "--rss",
              "in-process",
              "--tpch-sf",
              "0"
            });
    List<Measurement> results =
        BenchmarkMain.run(
            SparkTestSession.get(),
            options,
            tmp.resolve("work"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(results)
        .filteredOn(m -> m.name().equals(BenchReport.JDBC))
        .singleElement()
        .satisfies(m -> assertThat(m.failure()).isEqualTo("not run above 500 rows"));
    assertThat(results)
        .filteredOn(m -> !m.name().equals(BenchReport.JDBC))
        .allSatisfy(m -> assertThat(m.failure()).isNull());
    assertThat(Files.readString(tmp.resolve("docs/BENCHMARKS.md")))
        .contains(
            "| 1,000 | " + BenchReport.JDBC + " | not run above 500 rows | n/a | n/a | n/a | n/a |")
        .contains("Not run (--scale-ratio 0).");
  }

  @Test
  void optionsAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchmarkMain.Options.parse(new String[] {"--size", "1"}))
        .hasMessageContaining("unknown option --size");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchmarkMain.Options.parse(new String[] {"--runs", "0"}))
        .hasMessageContaining("at least one run");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                BenchmarkMain.Options.parse(
                    new String[] {
                      "--sizes", "0", "--s3-sizes", "0", "--arrow-sizes", "0", "--tpch-sf", "0"
                    }))
        .hasMessageContaining("nothing to run");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchmarkMain.Options.parse(new String[] {"--tpch-sf", "-1"}))
        .hasMessageContaining("--tpch-sf is a scale factor");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchmarkMain.Options.parse(new String[] {"--sizes", "-5"}))
        .hasMessageContaining("cannot be negative: -5");
  }
}
