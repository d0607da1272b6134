package io.spill.engine.arrow;

import io.spill.spi.SpillException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;

/**
 * Streams Parquet files as Arrow batches of at most {@code batchRows} rows: one row group at a time
 * (its compressed pages, then one batch of decoded vectors, in memory), the columns of each batch
 * decoded in parallel. Every {@link #loadNextBatch()} refills the same {@link VectorSchemaRoot}.
 */
final class ParquetArrowReader extends ArrowReader {
  private final ParquetFiles files;
  private final int batchRows;
  private final ExecutorService pool;
  private int file;
  private int rowGroup;
  private RowGroupCursor cursor;
  private long bytesRead;

  ParquetArrowReader(
      BufferAllocator allocator, ParquetFiles files, int batchRows, ExecutorService pool) {
    super(allocator);
    this.files = files;
    this.batchRows = batchRows;
    this.pool = pool;
  }

  /** Files with their footers read, and the Arrow schema they share. */
  record ParquetFiles(List<Path> paths, List<ParquetMetadata> footers, Schema schema) {
    /**
     * The files' footers and Arrow schema; {@code sparkTypes} (leaf path to Spark type, from the
     * Spark schema the files came with) says which integer columns are intervals.
     */
    static ParquetFiles open(List<Path> paths, Map<String, String> sparkTypes) {
      if (paths.isEmpty()) {
        throw new IllegalArgumentException("no files to read");
      }
      List<ParquetMetadata> footers = new ArrayList<>();
      Schema schema = null;
      for (Path p : paths) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(p))) {
          ParquetMetadata footer = r.getFooter();
          Schema s = ArrowTypes.toArrow(footer.getFileMetaData().getSchema(), sparkTypes);
          if (schema != null && !schema.equals(s)) {
            throw new SpillException(
                p + " has the schema " + s + ", unlike " + paths.get(0) + " (" + schema + ")");
          }
          schema = s;
          footers.add(footer);
        } catch (IOException e) {
          throw new SpillException(
              "cannot read the Parquet footer of " + p + ": " + e.getMessage(), e);
        } catch (SpillException e) {
          throw e;
        } catch (RuntimeException e) { // a schema parquet-java cannot take apart
          throw RowGroupCursor.unreadable(p, e);
        }
      }
      return new ParquetFiles(List.copyOf(paths), List.copyOf(footers), schema);
    }

    long rowCount() {
      return footers.stream()
          .flatMap(f -> f.getBlocks().stream())
          .mapToLong(b -> b.getRowCount())
          .sum();
    }
  }

  /**
   * Reads every row of {@code files} into batches of {@code allocator}: every column of every row
   * group is one job on {@code pool}, filling its vector in each of the row group's batches.
   */
  static List<VectorSchemaRoot> readAll(
      BufferAllocator allocator, ParquetFiles files, int batchRows, ExecutorService pool) {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    List<RowGroupCursor> cursors = new ArrayList<>();
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    try {
      for (int f = 0; f < files.paths().size(); f++) {
        for (int g = 0; g < files.footers().get(f).getBlocks().size(); g++) {
          RowGroupCursor c;
          try {
            c = new RowGroupCursor(files.paths().get(f), files.footers().get(f), g, files.schema());
          } catch (SpillException e) {
            throw e;
          } catch (RuntimeException e) {
            throw RowGroupCursor.unreadable(files.paths().get(f), e);
          }
          cursors.add(c);
          int count = (int) ((c.remaining() + batchRows - 1) / batchRows);
          int[] rows = new int[count];
          List<VectorSchemaRoot> mine = new ArrayList<>();
          for (int b = 0; b < count; b++) {
            rows[b] = (int) Math.min(batchRows, c.remaining() - (long) b * batchRows);
            VectorSchemaRoot root = VectorSchemaRoot.create(files.schema(), allocator);
            batches.add(root);
            mine.add(root);
          }
          c.readInto(mine, rows, pool, running);
          for (int b = 0; b < count; b++) {
            counts.add(rows[b]);
          }
        }
      }
      RowGroupCursor.waitFor(running);
      // only now: a list's value count follows its offsets, which the jobs have just written
      for (int b = 0; b < batches.size(); b++) {
        batches.get(b).setRowCount(counts.get(b));
      }
      return batches;
    } catch (RuntimeException e) {
      running.forEach(r -> r.cancel(true));
      batches.forEach(VectorSchemaRoot::close);
      throw e instanceof SpillException s
          ? s
          : new SpillException("cannot read " + files.paths() + ": " + e.getMessage(), e);
    } finally {
      for (RowGroupCursor c : cursors) {
        try {
          c.close();
        } catch (IOException e) {
          // the rows are read (or the read failed already); a reader that fails to close leaks
          // a file handle at worst
        }
      }
    }
  }

  @Override
  protected Schema readSchema() {
    return files.schema();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    VectorSchemaRoot root = getVectorSchemaRoot();
    while (cursor == null || cursor.remaining() == 0) {
      if (cursor != null) {
        cursor.close();
        cursor = null;
      }
      if (!advance()) {
        root.setRowCount(0);
        return false;
      }
    }
    root.getFieldVectors().forEach(FieldVector::reset);
    cursor.next(root, batchRows, pool);
    return true;
  }

  private boolean advance() {
    while (file < files.paths().size()) {
      if (rowGroup < files.footers().get(file).getBlocks().size()) {
        Path path = files.paths().get(file);
        try {
          cursor = new RowGroupCursor(path, files.footers().get(file), rowGroup++, files.schema());
        } catch (SpillException e) {
          throw e;
        } catch (RuntimeException e) {
          throw RowGroupCursor.unreadable(path, e);
        }
        bytesRead += cursor.bytes();
        return true;
      }
      file++;
      rowGroup = 0;
    }
    return false;
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
  }
}
