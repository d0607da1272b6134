package io.spill.engine.duckdb;

import io.spill.spi.SpillException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * What DuckDB's Parquet reader does differently from Spark's with timestamps, found from the files'
 * footers with parquet-java (which Spark ships):
 *
 * <ul>
 *   <li>{@code INT96}, and {@code INT64} timestamps marked only with the legacy converted types
 *       {@code TIMESTAMP_MILLIS}/{@code TIMESTAMP_MICROS}, are instants to Spark (and to every
 *       writer that uses them) but local date-times to DuckDB: {@link #instantLeaves} names them so
 *       that the engine reads them as instants;
 *   <li>DuckDB decodes an {@code INT96}'s Julian day as unsigned and truncates negative
 *       nanoseconds, so a value before 4713 BC, or one whose microseconds overflow, reads as
 *       another value without an error: {@link #instantLeaves} reads every {@code INT96} value and
 *       refuses the file, naming it, the column and the value, if DuckDB's reading of any value
 *       differs from Spark's.
 * </ul>
 *
 * <p>Paths follow {@code io.spill.SparkColumnPaths} ({@code col.field}, {@code col[]}, {@code
 * col.key}, {@code col.value}), as Spark's reader shapes the Parquet schema.
 */
final class ParquetTimestamps {
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private ParquetTimestamps() {}

  /**
   * The leaves of the files that Spark reads as instants and DuckDB as local date-times, each
   * mapped to {@code "timestamp"} (Spark's name for the type); INT96 values DuckDB would read
   * differently are refused.
   *
   * @param files local paths or {@code file:} URIs of Parquet files
   * @param checkInt96Only true to only check INT96 values (the Spark schema gives the types)
   * @return Spark column path to {@code "timestamp"}
   * @throws SpillException if a file cannot be read, or holds an INT96 value DuckDB misreads
   */
  static Map<String, String> instantLeaves(List<String> files, boolean checkInt96Only) {
    Map<String, String> leaves = new LinkedHashMap<>();
    for (String file : files) {
      Path path = localPath(file);
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalFile(path))) {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        Map<String, ColumnDescriptor> int96 = new LinkedHashMap<>();
        for (Type field : schema.getFields()) {
          walk(field, field.getName(), new ArrayList<>(), schema, leaves, int96, false);
        }
        if (!int96.isEmpty()) {
          checkInt96(reader, schema, int96, file);
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof SpillException s) {
          throw s;
        }
        throw new SpillException(
            "cannot read the Parquet footer of "
                + file
                + " with parquet-java, the reader Spark uses (so Spark cannot read it either): "
                + e,
            e);
      }
    }
    return checkInt96Only ? Map.of() : leaves;
  }

  private static Path localPath(String file) {
    return file.startsWith("file:") ? Path.of(URI.create(file)) : Path.of(file);
  }

  /**
   * Collects the leaves under {@code type}, at Spark path {@code path}, as Spark's reader shapes
   * the Parquet schema: a LIST group's element, a MAP's key and value, a repeated field outside a
   * LIST as an array.
   */
  private static void walk(
      Type type,
      String path,
      List<String> parquetPath,
      MessageType schema,
      Map<String, String> instants,
      Map<String, ColumnDescriptor> int96,
      boolean inList) {
    List<String> here = new ArrayList<>(parquetPath);
    here.add(type.getName());
    String at = type.isRepetition(Type.Repetition.REPEATED) && !inList ? path + "[]" : path;
    if (type.isPrimitive()) {
      PrimitiveType p = type.asPrimitiveType();
      if (p.getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
        instants.put(at, "timestamp");
        int96.put(at, schema.getColumnDescription(here.toArray(String[]::new)));
      } else if (p.getLogicalTypeAnnotation()
              instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
          && t.isAdjustedToUTC()) {
        instants.put(at, "timestamp");
      }
      return;
    }
    GroupType group = type.asGroupType();
    LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && group.getFieldCount() == 1
        && group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      Type repeated = group.getType(0);
      List<String> inner = new ArrayList<>(here);
      if (!repeated.isPrimitive()
          && repeated.asGroupType().getFieldCount() == 1
          && !repeated.getName().equals("array")
          && !repeated.getName().endsWith("_tuple")) {
        inner.add(repeated.getName());
        walk(repeated.asGroupType().getType(0), at + "[]", inner, schema, instants, int96, true);
      } else {
        walk(repeated, at + "[]", here, schema, instants, int96, true);
      }
      return;
    }
    if ((logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && group.getFieldCount() == 1
        && !group.getType(0).isPrimitive()
        && group.getType(0).asGroupType().getFieldCount() == 2) {
      GroupType keyValue = group.getType(0).asGroupType();
      List<String> inner = new ArrayList<>(here);
      inner.add(keyValue.getName());
      walk(keyValue.getType(0), at + ".key", inner, schema, instants, int96, true);
      walk(keyValue.getType(1), at + ".value", inner, schema, instants, int96, true);
      return;
    }
    for (Type field : group.getFields()) {
      walk(field, at + "." + field.getName(), here, schema, instants, int96, false);
    }
  }

  /** Reads every value of the INT96 columns, and only those, comparing the two decodings. */
  private static void checkInt96(
      ParquetFileReader reader,
      MessageType schema,
      Map<String, ColumnDescriptor> columns,
      String file)
      throws IOException {
    reader.setRequestedSchema(project(schema, columns.values()));
    PageReadStore rowGroup;
    while ((rowGroup = reader.readNextRowGroup()) != null) {
      for (Map.Entry<String, ColumnDescriptor> c : columns.entrySet()) {
        Int96Check check = new Int96Check();
        ColumnDescriptor column = c.getValue();
        PageReader pages = rowGroup.getPageReader(column);
        ColumnReaderImpl values = new ColumnReaderImpl(column, pages, check, null);
        int defined = column.getMaxDefinitionLevel();
        for (long i = pages.getTotalValueCount(); i > 0; i--) {
          if (values.getCurrentDefinitionLevel() == defined) {
            values.writeCurrentValueToConverter();
            if (check.differs != null) {
              throw new SpillException(
                  "the Parquet file "
                      + file
                      + " holds, in its INT96 column '"
                      + c.getKey()
                      + "', the timestamp "
                      + check.differs
                      + " (as Spark reads it), which DuckDB reads as another value (it decodes an"
                      + " INT96's Julian day as unsigned, so days before 4713 BC become far-future"
                      + " ones); read the file with the Arrow"
                      + " engine, or have Spark rewrite it with"
                      + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS");
            }
          }
          values.consume();
        }
      }
    }
  }

  /** The schema with only the given columns, for reading those alone. */
  private static MessageType project(MessageType schema, Iterable<ColumnDescriptor> columns) {
    MessageType projected = null;
    for (ColumnDescriptor c : columns) {
      String[] path = c.getPath();
      Type leaf = schema.getType(path);
      for (int depth = path.length - 1; depth > 0; depth--) {
        String[] parentPath = java.util.Arrays.copyOf(path, depth);
        leaf = schema.getType(parentPath).asGroupType().withNewFields(leaf);
      }
      MessageType one = new MessageType(schema.getName(), leaf);
      projected = projected == null ? one : projected.union(one);
    }
    return projected;
  }

  /** Compares DuckDB's decoding of one INT96 value with Spark's; remembers the first mismatch. */
  private static final class Int96Check extends PrimitiveConverter {
    String differs;

    @Override
    public void addBinary(Binary value) {
      ByteBuffer b = value.toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
      long nanos = b.getLong(b.position());
      int julianDay = b.getInt(b.position() + 8);
      // Spark: the signed Julian day, in int arithmetic, then long; DuckDB: the day as unsigned.
      // Both in wrapping long arithmetic with truncating division, as each does.
      long spark = (long) (julianDay - (int) JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + nanos / 1000;
      long duckDb =
          (Integer.toUnsignedLong(julianDay) - JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + nanos / 1000;
      if (duckDb != spark && differs == null) {
        differs =
            Instant.EPOCH
                .plusSeconds(Math.floorDiv(spark, 1_000_000L))
                .plusNanos(Math.floorMod(spark, 1_000_000L) * 1000L)
                .toString();
      }
    }
  }

  /** A local file as Parquet's {@link InputFile}, on every parquet-java Spark 3.5 to 4.2 ships. */
  private record LocalFile(Path path) implements InputFile {
    @Override
    public long getLength() throws IOException {
      return java.nio.file.Files.size(path);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      InputStream in = Channels.newInputStream(channel);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }
      };
    }
  }
}
