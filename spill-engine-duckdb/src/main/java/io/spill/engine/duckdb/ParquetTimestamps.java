package io.spill.engine.duckdb;

import io.spill.spi.SpillException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What DuckDB's Parquet reader does differently from Spark's with timestamps, found from the files'
 * footers with parquet-java (which Spark ships):
 *
 * <ul>
 *   <li>{@code INT96}, and {@code INT64} timestamps marked only with the legacy converted types
 *       {@code TIMESTAMP_MILLIS}/{@code TIMESTAMP_MICROS}, are instants to Spark (and to every
 *       writer that uses them) but local date-times to DuckDB: {@link #instantLeaves} names them so
 *       that the engine reads them as instants;
 *   <li>DuckDB decodes an {@code INT96}'s Julian day as unsigned, so a value before 4713 BC (which
 *       Spark writes with a negative day) reads as another value without an error: {@link
 *       #instantLeaves} reads every {@code INT96} value's day and refuses the file, naming it, the
 *       column and the value (as Spark reads it), if any day is negative.
 * </ul>
 *
 * <p>Paths follow {@code io.spill.SparkColumnPaths} ({@code col.field}, {@code col[]}, {@code
 * col.key}, {@code col.value}), as Spark's reader shapes the Parquet schema.
 */
final class ParquetTimestamps {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetTimestamps.class);
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private ParquetTimestamps() {}

  /**
   * The leaves of the files that Spark reads as instants and DuckDB as local date-times, each
   * mapped to {@code "timestamp"} (Spark's name for the type); INT96 values DuckDB would read
   * differently are refused.
   *
   * @param files paths or {@code file:} URIs of local Parquet files; if any is another URI (a store
   *     adapter's, for DuckDB's own file systems), nothing is read, a warning says what goes
   *     unchecked, and the result is empty
   * @param checkInt96Only true to only check INT96 values (the Spark schema gives the types)
   * @return Spark column path to {@code "timestamp"}
   * @throws SpillException if a file cannot be read, or holds an INT96 value DuckDB misreads
   */
  static Map<String, String> instantLeaves(List<String> files, boolean checkInt96Only) {
    if (!files.stream().allMatch(ParquetTimestamps::isLocal)) {
      // A store adapter's own URIs (s3://, for DuckDB's httpfs): parquet-java reads local files
      // only here. Say what goes unchecked, rather than refusing every file.
      LOG.warn(
          "spill cannot read the footers of {} and the others of this read (not local files):"
              + " INT96 and legacy timestamp columns are read as the Spark schema says, and an"
              + " INT96 value before 4713 BC would be read by DuckDB as another value",
          files.get(0));
      return Map.of();
    }
    // files in parallel (object stores and FUSE mounts pay a round trip per file); merged in order
    List<Map<String, String>> perFile =
        files.parallelStream().map(ParquetTimestamps::inspect).toList();
    Map<String, String> leaves = new LinkedHashMap<>();
    perFile.forEach(leaves::putAll);
    return checkInt96Only ? Map.of() : leaves;
  }

  /** One file's instant leaves, its INT96 values checked. */
  private static Map<String, String> inspect(String file) {
    Map<String, String> leaves = new LinkedHashMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalFile(localPath(file)))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      Map<String, ColumnDescriptor> int96 = new LinkedHashMap<>();
      for (Type field : schema.getFields()) {
        walk(field, field.getName(), new ArrayList<>(), schema, leaves, int96, false);
      }
      if (!int96.isEmpty()) {
        checkInt96(reader, schema, int96, file);
      }
      return leaves;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SpillException s) {
        throw s;
      }
      throw new SpillException(
          "cannot read the Parquet file "
              + file
              + " with parquet-java, the reader Spark uses: "
              + e,
          e);
    }
  }

  private static boolean isLocal(String file) {
    int colon = file.indexOf(':');
    int slash = file.indexOf('/');
    return colon < 0 || file.startsWith("file:") || (slash >= 0 && slash < colon);
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

  /**
   * Reads the INT96 columns, and only those, for a value whose Julian day is negative: the one case
   * where DuckDB's decoding differs from Spark's (both compute {@code (day - 2440588) * 86400000000
   * + nanos / 1000}; DuckDB takes the day as unsigned). A plain page, and a dictionary, hold
   * 12-byte values whose twelfth byte carries the day's sign, so most pages are checked at memory
   * speed; dictionary-encoded pages hold only ids into the checked dictionary. A page of any other
   * layout is refused, naming the column, since its values cannot be checked this way.
   */
  // BytesInput.toByteBuffer(): deprecated in parquet 1.17 for an overload that parquet 1.13
  // (Spark 3.5) lacks; it copies nothing for the heap pages the page reader gives.
  @SuppressWarnings("deprecation")
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
        ColumnDescriptor column = c.getValue();
        PageReader pages = rowGroup.getPageReader(column);
        DictionaryPage dictionary = pages.readDictionaryPage();
        if (dictionary != null) {
          refuseNegativeDay(dictionary.getBytes().toByteBuffer(), file, c.getKey());
        }
        for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
          ByteBuffer values = plainValues(page, column);
          if (values != null) {
            refuseNegativeDay(values, file, c.getKey());
          } else if (!isDictionaryEncoded(page)) {
            throw new SpillException(
                "cannot check the INT96 column '"
                    + c.getKey()
                    + "' of the Parquet file "
                    + file
                    + ", whose pages are neither plain nor dictionary-encoded (or have levels"
                    + " that are not RLE), for values DuckDB would read as others; read the file"
                    + " with the Arrow engine, or have Spark rewrite it with"
                    + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS");
          }
        }
      }
    }
  }

  /** The values of a PLAIN page without its levels; null for any other layout. */
  @SuppressWarnings("deprecation") // as in checkInt96
  private static ByteBuffer plainValues(DataPage page, ColumnDescriptor column) throws IOException {
    if (page instanceof DataPageV2 v2) {
      return v2.getDataEncoding() == Encoding.PLAIN ? v2.getData().toByteBuffer() : null;
    }
    DataPageV1 v1 = (DataPageV1) page;
    if (v1.getValueEncoding() != Encoding.PLAIN
        || (column.getMaxRepetitionLevel() > 0 && v1.getRlEncoding() != Encoding.RLE)
        || (column.getMaxDefinitionLevel() > 0 && v1.getDlEncoding() != Encoding.RLE)) {
      return null;
    }
    ByteBuffer bytes = v1.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int at = bytes.position();
    for (int levels : new int[] {column.getMaxRepetitionLevel(), column.getMaxDefinitionLevel()}) {
      if (levels > 0) {
        at += 4 + bytes.getInt(at); // RLE levels in a v1 page: their length, then them
      }
    }
    if (at > bytes.limit()) {
      return null;
    }
    return bytes.duplicate().position(at);
  }

  private static boolean isDictionaryEncoded(DataPage page) {
    return page instanceof DataPageV2 v2
        ? v2.getDataEncoding().usesDictionary()
        : ((DataPageV1) page).getValueEncoding().usesDictionary();
  }

  /** Refuses the file if a 12-byte INT96 value from the buffer's position on has a negative day. */
  private static void refuseNegativeDay(ByteBuffer values, String file, String column) {
    ByteBuffer b = values.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int end = b.limit() - 11;
    for (int at = b.position(); at < end; at += 12) {
      if (b.get(at + 11) < 0) {
        throw misread(file, column, b.getLong(at), b.getInt(at + 8));
      }
    }
  }

  private static SpillException misread(String file, String column, long nanos, int julianDay) {
    // Spark's own arithmetic: the day difference in int, then long, wrapping; nanos truncated
    long micros = (long) (julianDay - (int) JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + nanos / 1000;
    Instant spark =
        Instant.EPOCH
            .plusSeconds(Math.floorDiv(micros, 1_000_000L))
            .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L);
    return new SpillException(
        "the Parquet file "
            + file
            + " holds, in its INT96 column '"
            + column
            + "', the timestamp "
            + spark
            + " (as Spark reads it), which DuckDB reads as another value (it decodes an"
            + " INT96's Julian day as unsigned, so days before 4713 BC become far-future"
            + " ones); read the file with the Arrow engine, or have Spark rewrite it with"
            + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS");
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
