package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.Test;

/**
 * Merged batches hold the same rows in the same order as the batches they merge, nulls and nested
 * values included, each at least the target but the last, and leave no Arrow memory behind. DuckDB
 * exports the source batches (7 rows each) of a query with the shapes Spark's batches have.
 */
class MergedBatchesTest {
  private static final String QUERY =
      """
      SELECT i AS id,
             CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i END AS s,
             CASE WHEN i % 9 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
             CAST(i / 7 AS DECIMAL(18,2)) AS d,
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts,
             CASE WHEN i % 4 = 0 THEN NULL ELSE {'x': i, 'y': 'v' || i} END AS st,
             CASE WHEN i % 6 = 0 THEN NULL ELSE [i, NULL, i + 1] END AS l,
             CASE WHEN i % 8 = 0 THEN NULL ELSE MAP {'k' || (i % 3): i} END AS m
      FROM range(103) t(i) ORDER BY i""";

  @Test
  void mergesConsecutiveBatchesInOrderIntoBatchesOfAtLeastTheTarget() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        BufferAllocator allocator = new RootAllocator()) {
      List<Integer> sourceSizes = new ArrayList<>();
      List<String> expected;
      try (Statement s = duck.createStatement();
          ResultSet r = s.executeQuery(QUERY);
          ArrowReader source = export(r, allocator)) {
        expected = rows(source, sourceSizes);
      }
      assertThat(expected).hasSize(103);
      assertThat(sourceSizes).hasSizeGreaterThan(10); // many small batches to merge

      List<Integer> mergedSizes = new ArrayList<>();
      List<String> merged;
      try (Statement s = duck.createStatement();
          ResultSet r = s.executeQuery(QUERY);
          ArrowReader reader = new MergedBatches(export(r, allocator), allocator, 20)) {
        merged = rows(reader, mergedSizes);
      }
      assertThat(merged).containsExactlyElementsOf(expected);
      assertThat(mergedSizes).isEqualTo(expectedMerge(sourceSizes, 20));
      assertThat(mergedSizes.subList(0, mergedSizes.size() - 1))
          .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(20));
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void aStreamWithoutRowsGivesNoBatchAndItsSchema() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        BufferAllocator allocator = new RootAllocator();
        Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM (" + QUERY + ") WHERE id < 0");
        ArrowReader reader = new MergedBatches(export(r, allocator), allocator, 20)) {
      List<Integer> sizes = new ArrayList<>();
      assertThat(rows(reader, sizes)).isEmpty();
      assertThat(reader.getVectorSchemaRoot().getSchema().getFields())
          .extracting(f -> f.getName())
          .containsExactly("id", "s", "flag", "d", "ts", "st", "l", "m");
    }
  }

  @Test
  void aTargetBelowOneRowIsRefused() {
    try (BufferAllocator allocator = new RootAllocator()) {
      assertThatThrownBy(() -> new MergedBatches(null, allocator, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("targetRows must be positive, got 0");
    }
  }

  private static ArrowReader export(ResultSet r, BufferAllocator allocator) throws Exception {
    return (ArrowReader) r.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 7);
  }

  /** Every row of every batch as text, in order; each batch's row count into {@code sizes}. */
  private static List<String> rows(ArrowReader reader, List<Integer> sizes) throws Exception {
    List<String> rows = new ArrayList<>();
    while (reader.loadNextBatch()) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      sizes.add(root.getRowCount());
      for (int i = 0; i < root.getRowCount(); i++) {
        StringBuilder row = new StringBuilder();
        for (FieldVector v : root.getFieldVectors()) {
          row.append(v.getObject(i)).append(" | ");
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** The merged sizes the rule gives: source batches added until the target is reached. */
  private static List<Integer> expectedMerge(List<Integer> sourceSizes, int target) {
    List<Integer> merged = new ArrayList<>();
    int current = 0;
    boolean open = false;
    for (int n : sourceSizes) {
      current += n;
      open = true;
      if (current >= target) {
        merged.add(current);
        current = 0;
        open = false;
      }
    }
    if (open) {
      merged.add(current);
    }
    return merged;
  }
}
