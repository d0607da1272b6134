package io.spill.internal.spark;

import io.spill.spi.SpillStore;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file of a {@link SpillStore} as Parquet's {@link InputFile}, read with range reads through the
 * store port, so that spill reads Parquet footers on the driver without the driver's Hadoop
 * configuration or a {@code SparkContext} (neither exists on a Spark Connect session). Parquet
 * reads a footer with two range reads: the file's last 8 bytes, then the footer itself. A stream
 * therefore fetches the file's last {@value #TAIL_BYTES} bytes (or all of a smaller file) at its
 * first read there, and serves every later read inside them from memory: a footer of up to about
 * that size costs one round trip to the store instead of two.
 */
public final class StoreInputFile implements InputFile {
  /** How much of a file's end one read fetches: Spark's footers are a few KiB per column. */
  static final int TAIL_BYTES = 64 << 10;

  private final SpillStore store;
  private final String path;
  private final long length;

  /**
   * @param path the file's path in the store
   * @param length its size, as the store's listing gives it
   */
  public StoreInputFile(SpillStore store, String path, long length) {
    this.store = store;
    this.path = path;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new Stream();
  }

  @Override
  public String toString() {
    return store.describe() + "/" + path;
  }

  /** A position and range reads; only the file's tail is kept, once read. */
  private final class Stream extends SeekableInputStream {
    private final long tailStart = Math.max(0, length - TAIL_BYTES);
    private byte[] tail;
    private long pos;

    /** {@code len} bytes at the position: from the tail if they lie in it, else from the store. */
    private byte[] fetch(int len) {
      if (pos < tailStart) {
        return store.read(path, pos, len);
      }
      if (tail == null) {
        tail = store.read(path, tailStart, (int) (length - tailStart));
      }
      int from = (int) (pos - tailStart);
      return Arrays.copyOfRange(tail, from, from + len);
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws EOFException {
      if (newPos < 0 || newPos > length) {
        throw new EOFException(
            "cannot seek to " + newPos + " in " + StoreInputFile.this + " of " + length + " bytes");
      }
      pos = newPos;
    }

    @Override
    public int read() throws EOFException {
      if (pos >= length) {
        return -1;
      }
      byte[] one = new byte[1];
      readFully(one);
      return one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int start, int len) throws EOFException {
      int n = (int) Math.min(len, length - pos);
      if (len == 0) {
        return 0;
      }
      if (n <= 0) {
        return -1;
      }
      readFully(bytes, start, n);
      return n;
    }

    @Override
    public void readFully(byte[] bytes) throws EOFException {
      readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws EOFException {
      require(len);
      System.arraycopy(fetch(len), 0, bytes, start, len);
      pos += len;
    }

    @Override
    public int read(ByteBuffer buf) throws EOFException {
      int n = (int) Math.min(buf.remaining(), length - pos);
      if (buf.remaining() == 0) {
        return 0;
      }
      if (n <= 0) {
        return -1;
      }
      buf.put(fetch(n));
      pos += n;
      return n;
    }

    @Override
    public void readFully(ByteBuffer buf) throws EOFException {
      int len = buf.remaining();
      require(len);
      buf.put(fetch(len));
      pos += len;
    }

    private void require(int len) throws EOFException {
      if (pos + len > length) {
        throw new EOFException(
            "cannot read "
                + len
                + " bytes at "
                + pos
                + " of "
                + StoreInputFile.this
                + ", which has "
                + length);
      }
    }
  }
}
