package io.spill.internal.spark;

import io.spill.spi.SpillStore;
import java.io.EOFException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file of a {@link SpillStore} as Parquet's {@link InputFile}, read with range reads through the
 * store port, so that spill reads Parquet footers on the driver without the driver's Hadoop
 * configuration or a {@code SparkContext} (neither exists on a Spark Connect session). Parquet
 * reads a footer with a few range reads: the file's last 8 bytes, then the footer itself.
 */
public final class StoreInputFile implements InputFile {
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

  /** A position and range reads; nothing is buffered, as a footer takes only a few calls. */
  private final class Stream extends SeekableInputStream {
    private long pos;

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
      System.arraycopy(store.read(path, pos, len), 0, bytes, start, len);
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
      buf.put(store.read(path, pos, n));
      pos += n;
      return n;
    }

    @Override
    public void readFully(ByteBuffer buf) throws EOFException {
      int len = buf.remaining();
      require(len);
      buf.put(store.read(path, pos, len));
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
