package io.spill.engine.arrow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes a top-level, non-repeated column page by page straight into an Arrow vector, for the
 * encodings Spark writes (PLAIN, dictionary; definition levels in the RLE/bit-packed hybrid, data
 * pages v1 and v2). A run of present values in PLAIN encoding whose width Arrow shares (INT32,
 * INT64, FLOAT, DOUBLE, DATE, timestamps and times in microseconds, intervals) is one memory copy;
 * a run of dictionary ids of a fixed-width column is looked up in the dictionary, decoded once, and
 * copied in one go; everything else is a loop over the page's bytes, without a converter or an
 * object per value. Other encodings are read by parquet-column's column reader instead ({@link
 * #canRead}).
 */
final class FlatColumnReader {
  // PLAIN_DICTIONARY and BIT_PACKED are deprecated for writers; files written with them are
  // still read.
  @SuppressWarnings("deprecation")
  private static final Set<Encoding> HANDLED =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY,
          Encoding.RLE,
          Encoding.BIT_PACKED);

  private final PageReader pages;
  private final int maxDefinition;
  private final Kind kind;
  private final int width;
  private final long factor;
  private final Dictionary dictionary;
  private final PrimitiveTypeName primitive;
  private byte[][] dictionaryBytes;
  private long[] dictionaryLongs;
  private int[] idScratch = new int[0];
  private long[] longScratch = new long[0];

  private byte[] buffer = new byte[0];
  private long pageLeft;
  private Hybrid levels;
  private ByteBuffer plain;
  private Hybrid ids;
  private int bitOffset;
  private boolean rleBooleans;

  private enum Kind {
    COPY,
    INT8,
    INT16,
    DECIMAL32,
    DECIMAL64,
    TIMES,
    INT96,
    BOOL,
    BYTES,
    FIXED
  }

  /** Whether this reader decodes the column chunk (its encodings and type). */
  static boolean canRead(Set<Encoding> encodings, ArrowType t, PrimitiveType p) {
    return HANDLED.containsAll(encodings) && kind(t, p) != null;
  }

  FlatColumnReader(PageReader pages, ColumnDescriptor descriptor, ArrowType t) throws IOException {
    this.pages = pages;
    PrimitiveType p = descriptor.getPrimitiveType();
    this.maxDefinition = descriptor.getMaxDefinitionLevel();
    this.kind = kind(t, p);
    this.primitive = p.getPrimitiveTypeName();
    this.width =
        switch (p.getPrimitiveTypeName()) {
          case INT32, FLOAT -> 4;
          case INT64, DOUBLE -> 8;
          case INT96 -> 12;
          case FIXED_LEN_BYTE_ARRAY -> p.getTypeLength();
          default -> 0;
        };
    this.factor =
        p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS
            ? 1000
            : 1;
    DictionaryPage page = pages.readDictionaryPage();
    this.dictionary = page == null ? null : page.getEncoding().initDictionary(descriptor, page);
  }

  private static Kind kind(ArrowType t, PrimitiveType p) {
    PrimitiveTypeName n = p.getPrimitiveTypeName();
    if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
        && !i.isSigned()) {
      return null; // widened value by value, through the sinks
    }
    switch (t.getTypeID()) {
      case Int:
        int bits = ((ArrowType.Int) t).getBitWidth();
        return bits == 8 ? Kind.INT8 : bits == 16 ? Kind.INT16 : Kind.COPY;
      case FloatingPoint:
      case Date:
      case Time: // INT64 microseconds
      case Interval: // INT32 months
      case Duration: // INT64 microseconds
        return Kind.COPY;
      case Decimal:
        return n == PrimitiveTypeName.INT32
            ? Kind.DECIMAL32
            : n == PrimitiveTypeName.INT64 ? Kind.DECIMAL64 : null;
      case Timestamp:
        if (n == PrimitiveTypeName.INT96) {
          return Kind.INT96;
        }
        return p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS
            ? Kind.TIMES
            : Kind.COPY;
      case Bool:
        return Kind.BOOL;
      case Utf8:
      case Binary:
        return Kind.BYTES;
      case FixedSizeBinary:
        return Kind.FIXED;
      default:
        return null;
    }
  }

  /** Fills slots 0..n-1 of {@code v} with the column's next {@code n} values. */
  void fill(FieldVector v, int n) throws IOException {
    if (v instanceof BaseFixedWidthVector f) {
      while (f.getValueCapacity() < n) {
        f.reAlloc();
      }
    }
    int i = 0;
    while (i < n) {
      if (pageLeft == 0) {
        nextPage();
      }
      int k = (int) Math.min(n - i, pageLeft);
      if (maxDefinition == 0) {
        values(v, i, k);
      } else {
        int run = levels.runLeft();
        if (run > 0) {
          k = Math.min(k, run);
          if (levels.runValue() == maxDefinition) {
            values(v, i, k);
          } else {
            for (int j = i; j < i + k; j++) {
              v.setNull(j);
            }
          }
          levels.skip(k);
        } else {
          k = 1;
          if (levels.next() == maxDefinition) {
            values(v, i, 1);
          } else {
            v.setNull(i);
          }
        }
      }
      i += k;
      pageLeft -= k;
    }
  }

  private void nextPage() throws IOException {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IOException("the column chunk ended before its row group");
    }
    pageLeft = page.getValueCount();
    ByteBuffer values;
    Encoding encoding;
    if (page instanceof DataPageV1 v1) {
      ByteBuffer all = read(v1.getBytes());
      if (maxDefinition > 0) {
        if (v1.getDlEncoding() != Encoding.RLE) {
          throw new IOException("definition levels in " + v1.getDlEncoding());
        }
        int length = all.getInt(all.position());
        levels = new Hybrid(slice(all, all.position() + 4, length), bitWidth(maxDefinition));
        all.position(all.position() + 4 + length);
      }
      values = all.slice().order(ByteOrder.LITTLE_ENDIAN);
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDefinition > 0) {
        levels =
            new Hybrid(
                levelBytes(v2.getDefinitionLevels()).order(ByteOrder.LITTLE_ENDIAN),
                bitWidth(maxDefinition));
      }
      values = read(v2.getData());
      encoding = v2.getDataEncoding();
    }
    rleBooleans = false;
    if (encoding == Encoding.PLAIN) {
      plain = values;
      ids = null;
      bitOffset = 0;
    } else if (encoding == Encoding.RLE && kind == Kind.BOOL) {
      // booleans in data pages v2: a length, then the hybrid encoding one bit wide
      int length = values.getInt(values.position());
      ids = new Hybrid(slice(values, values.position() + 4, length), 1);
      plain = null;
      rleBooleans = true;
    } else if (encoding.usesDictionary()) {
      if (dictionary == null) {
        throw new IOException("a dictionary-encoded page without a dictionary");
      }
      int bits = values.get(values.position()) & 0xFF;
      ids = new Hybrid(slice(values, values.position() + 1, values.remaining() - 1), bits);
      plain = null;
    } else {
      throw new IOException("the value encoding " + encoding);
    }
  }

  /**
   * The levels of a v2 page, which are small and stored uncompressed. {@code toByteBuffer()} is
   * deprecated since Parquet 1.14 for a form that takes a releaser, which the Parquet of Spark 3.5
   * (1.13) does not have; spill runs on both.
   */
  @SuppressWarnings("deprecation")
  private static ByteBuffer levelBytes(BytesInput levels) throws IOException {
    return levels.toByteBuffer();
  }

  /**
   * The page's bytes in this reader's own buffer, which the next page overwrites: decompressing
   * into a fresh array per page (what {@code BytesInput.toByteBuffer()} does) costs an allocation,
   * the JVM zeroing it, and on a heap that has just shrunk, a page fault per 4 KiB.
   */
  private ByteBuffer read(BytesInput bytes) throws IOException {
    long size = bytes.size();
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException("a page of " + size + " bytes, more than a Java array holds");
    }
    int n = (int) size;
    if (buffer.length < n) {
      buffer =
          new byte[Math.max(n, (int) Math.min(Integer.MAX_VALUE - 16, (long) buffer.length * 2))];
    }
    try (InputStream in = bytes.toInputStream()) {
      int at = 0;
      while (at < n) {
        int k = in.read(buffer, at, n - at);
        if (k < 0) {
          throw new IOException("the page ended after " + at + " of its " + n + " bytes");
        }
        at += k;
      }
    }
    return ByteBuffer.wrap(buffer, 0, n).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer slice(ByteBuffer b, int from, int length) {
    ByteBuffer d = b.duplicate();
    d.position(from).limit(from + length);
    return d.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /** Writes {@code k} present values into slots i..i+k-1. */
  private void values(FieldVector v, int i, int k) {
    if (plain != null) {
      plainValues(v, i, k);
    } else if (rleBooleans) {
      for (int j = i; j < i + k; j++) {
        ((org.apache.arrow.vector.BitVector) v).set(j, ids.next());
      }
    } else if (v instanceof BaseFixedWidthVector f
        && kind != Kind.BOOL
        && kind != Kind.FIXED
        && f.getTypeWidth() >= 4) { // 4, 8 or 16 bytes a value: int32 to decimal
      dictionaryRun(f, i, k);
    } else {
      for (int j = i; j < i + k; j++) {
        dictionaryValue(v, j, ids.next());
      }
    }
  }

  /**
   * Writes {@code k} dictionary-encoded values of a column of 4, 8 or 16-byte values (a decimal:
   * the value, then its sign extended) into slots i..i+k-1: the ids in bulk, the values looked up
   * in the dictionary decoded once, then one copy into the vector and its validity bits set byte by
   * byte.
   */
  private void dictionaryRun(BaseFixedWidthVector f, int i, int k) {
    if (dictionaryLongs == null) {
      dictionaryLongs = decodedDictionary();
    }
    if (idScratch.length < k) {
      idScratch = new int[Math.max(k, 1024)];
    }
    ids.next(idScratch, k);
    int slot = f.getTypeWidth();
    ByteBuffer target =
        f.getDataBuffer().nioBuffer((long) i * slot, k * slot).order(ByteOrder.LITTLE_ENDIAN);
    if (slot == 4) {
      for (int n = 0; n < k; n++) { // in place: each id is read before its slot is written
        idScratch[n] = (int) dictionaryLongs[idScratch[n]];
      }
      target.asIntBuffer().put(idScratch, 0, k);
    } else {
      int perValue = slot / 8;
      if (longScratch.length < k * perValue) {
        longScratch = new long[Math.max(k * perValue, 1024)];
      }
      for (int n = 0; n < k; n++) {
        long value = dictionaryLongs[idScratch[n]];
        longScratch[perValue * n] = value;
        if (perValue == 2) {
          longScratch[2 * n + 1] = value >> 63;
        }
      }
      target.asLongBuffer().put(longScratch, 0, perValue * k);
    }
    setValid(f.getValidityBuffer(), i, k);
  }

  /**
   * Every dictionary entry as the bits the vector stores: floats and doubles as their raw bits,
   * timestamps in microseconds, decimals as their unscaled value.
   */
  private long[] decodedDictionary() {
    long[] all = new long[dictionary.getMaxId() + 1];
    for (int d = 0; d < all.length; d++) {
      all[d] =
          switch (kind) {
            case INT96 -> Sinks.int96Micros(dictionary.decodeToBinary(d));
            case TIMES -> dictionary.decodeToLong(d) * factor;
            case DECIMAL32 -> dictionary.decodeToInt(d);
            case DECIMAL64 -> dictionary.decodeToLong(d);
            default ->
                switch (primitive) {
                  case FLOAT -> Float.floatToRawIntBits(dictionary.decodeToFloat(d));
                  case DOUBLE -> Double.doubleToRawLongBits(dictionary.decodeToDouble(d));
                  case INT32 -> dictionary.decodeToInt(d);
                  default -> dictionary.decodeToLong(d);
                };
          };
    }
    return all;
  }

  /** Sets validity bits from..from+k-1: the whole bytes in one fill. */
  private static void setValid(ArrowBuf validity, int from, int k) {
    int end = from + k;
    int j = from;
    for (; j < end && (j & 7) != 0; j++) {
      BitVectorHelper.setBit(validity, j);
    }
    int bytes = (end - j) >> 3;
    if (bytes > 0) {
      validity.setOne((long) (j >> 3), (long) bytes);
      j += bytes << 3;
    }
    for (; j < end; j++) {
      BitVectorHelper.setBit(validity, j);
    }
  }

  private void plainValues(FieldVector v, int i, int k) {
    switch (kind) {
      case COPY:
        {
          BaseFixedWidthVector f = (BaseFixedWidthVector) v;
          ArrowBuf data = f.getDataBuffer();
          ByteBuffer src = plain.duplicate();
          src.limit(src.position() + k * width);
          data.setBytes((long) i * width, src);
          plain.position(plain.position() + k * width);
          setValid(f.getValidityBuffer(), i, k);
          return;
        }
      case BOOL:
        {
          for (int j = i; j < i + k; j++) {
            int b = plain.get(plain.position() + (bitOffset >> 3)) >> (bitOffset & 7) & 1;
            bitOffset++;
            ((org.apache.arrow.vector.BitVector) v).set(j, b);
          }
          return;
        }
      case BYTES:
        {
          BaseVariableWidthVector b = (BaseVariableWidthVector) v;
          for (int j = i; j < i + k; j++) {
            int length = plain.getInt(plain.position());
            b.setSafe(j, plain, plain.position() + 4, length);
            plain.position(plain.position() + 4 + length);
          }
          return;
        }
      default:
        for (int j = i; j < i + k; j++) {
          plainValue(v, j);
        }
    }
  }

  private void plainValue(FieldVector v, int j) {
    int at = plain.position();
    switch (kind) {
      case INT8 -> ((org.apache.arrow.vector.TinyIntVector) v).set(j, (byte) plain.getInt(at));
      case INT16 -> ((org.apache.arrow.vector.SmallIntVector) v).set(j, (short) plain.getInt(at));
      case DECIMAL32 -> ((DecimalVector) v).set(j, plain.getInt(at));
      case DECIMAL64 -> ((DecimalVector) v).set(j, plain.getLong(at));
      case TIMES ->
          ((org.apache.arrow.vector.TimeStampVector) v).set(j, plain.getLong(at) * factor);
      case INT96 ->
          ((org.apache.arrow.vector.TimeStampVector) v)
              .set(j, Sinks.int96Micros(plain.getLong(at), plain.getInt(at + 8)));
      case FIXED -> {
        byte[] bytes = new byte[width];
        plain.duplicate().position(at).get(bytes);
        ((org.apache.arrow.vector.FixedSizeBinaryVector) v).setSafe(j, bytes);
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    plain.position(at + width);
  }

  /**
   * One dictionary-encoded value of a column {@link #dictionaryRun} does not take: 8 and 16-bit
   * integers, booleans, strings and binary.
   */
  private void dictionaryValue(FieldVector v, int j, int id) {
    switch (kind) {
      case INT8 ->
          ((org.apache.arrow.vector.TinyIntVector) v).set(j, (byte) dictionary.decodeToInt(id));
      case INT16 ->
          ((org.apache.arrow.vector.SmallIntVector) v).set(j, (short) dictionary.decodeToInt(id));
      case BOOL ->
          ((org.apache.arrow.vector.BitVector) v).set(j, dictionary.decodeToBoolean(id) ? 1 : 0);
      case BYTES, FIXED -> {
        if (dictionaryBytes == null) {
          dictionaryBytes = Sinks.bytes(dictionary);
        }
        byte[] bytes = dictionaryBytes[id];
        if (v instanceof BaseVariableWidthVector b) {
          b.setSafe(j, bytes, 0, bytes.length);
        } else {
          ((org.apache.arrow.vector.FixedSizeBinaryVector) v).setSafe(j, bytes);
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * The RLE/bit-packed hybrid encoding (definition levels, dictionary ids): runs of one repeated
   * value, which callers can take whole, and groups of eight bit-packed values.
   */
  static final class Hybrid {
    private final ByteBuffer in;
    private final int bitWidth;
    private int rleLeft;
    private int rleValue;
    private final int[] packed = new int[8];
    private int packedAt = 8;
    private int packedGroupsLeft;
    private int packedValuesLeft;

    Hybrid(ByteBuffer in, int bitWidth) {
      this.in = in;
      this.bitWidth = bitWidth;
    }

    /** How many values are left in the current repeated run; 0 inside bit-packed groups. */
    int runLeft() {
      if (rleLeft == 0 && packedValuesLeft == 0) {
        readHeader();
      }
      return rleLeft;
    }

    int runValue() {
      return rleValue;
    }

    void skip(int k) {
      rleLeft -= k;
    }

    int next() {
      if (rleLeft == 0 && packedValuesLeft == 0) {
        readHeader();
      }
      if (rleLeft > 0) {
        rleLeft--;
        return rleValue;
      }
      if (packedAt == 8) {
        unpack();
      }
      packedValuesLeft--;
      return packed[packedAt++];
    }

    /** The next {@code k} values into out[0..k-1]: runs filled, groups unpacked in place. */
    void next(int[] out, int k) {
      int n = 0;
      while (n < k) {
        if (rleLeft == 0 && packedValuesLeft == 0) {
          readHeader();
        }
        if (rleLeft > 0) {
          int take = Math.min(rleLeft, k - n);
          java.util.Arrays.fill(out, n, n + take, rleValue);
          rleLeft -= take;
          n += take;
        } else {
          if (packedAt == 8) {
            unpack();
          }
          int take = Math.min(Math.min(8 - packedAt, packedValuesLeft), k - n);
          System.arraycopy(packed, packedAt, out, n, take);
          packedAt += take;
          packedValuesLeft -= take;
          n += take;
        }
      }
    }

    private void readHeader() {
      int header = 0;
      int shift = 0;
      int b;
      do {
        b = in.get() & 0xFF;
        header |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if ((header & 1) == 0) {
        rleLeft = header >>> 1;
        int value = 0;
        for (int k = 0; k < (bitWidth + 7) / 8; k++) {
          value |= (in.get() & 0xFF) << (8 * k);
        }
        rleValue = value;
      } else {
        packedGroupsLeft = header >>> 1;
        packedValuesLeft = packedGroupsLeft * 8;
        packedAt = 8;
      }
    }

    private void unpack() {
      long bits = 0;
      int have = 0;
      int mask = (1 << bitWidth) - 1;
      for (int k = 0; k < 8; k++) {
        while (have < bitWidth) {
          bits |= (long) (in.get() & 0xFF) << have;
          have += 8;
        }
        packed[k] = (int) (bits & mask);
        bits >>>= bitWidth;
        have -= bitWidth;
      }
      packedAt = 0;
      packedGroupsLeft--;
    }
  }
}
