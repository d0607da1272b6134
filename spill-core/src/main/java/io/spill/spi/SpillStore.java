package io.spill.spi;

import java.util.List;
import java.util.Map;

/**
 * A place where spill keeps Parquet files that both Spark and a single-node engine can reach: a
 * Unity Catalog volume, an S3 prefix, or a folder on the driver.
 *
 * <p>Every path argument is relative to the store's root, uses '/' as separator, and has no leading
 * '/', no empty segment and no {@code .} or {@code ..} segment; spill builds these paths itself and
 * validates user input before it gets here. The empty string means the root.
 *
 * <p>A store is shared: teammates' files, other jobs' folders and streaming checkpoints may sit
 * beside spill's. spill reads and writes only below {@code _spill/} and deletes narrowly, one file
 * or one empty directory at a time, so the port offers no recursive delete.
 *
 * <p>Implementations are thread-safe. Optional abilities are separate interfaces, such as {@link
 * SupportsContainerLifecycle}.
 */
public interface SpillStore extends AutoCloseable {

  /**
   * The location under which Spark reads and writes {@code path}, for example {@code
   * file:///tmp/spill/_spill/checkpoints/a} or {@code s3a://bucket/prefix/_spill/...}. It is a
   * Hadoop path string, not a percent-encoded URI: a space or a {@code %} in a folder name stands
   * as it is. spill disables Spark's glob expansion where it reads, so {@code [}, {@code *} and
   * {@code ?} in names are read literally. Pure: no I/O.
   *
   * @param path a relative path, or "" for the root
   * @return an absolute URI Spark's DataFrameReader and DataFrameWriter accept
   */
  String sparkUri(String path);

  /**
   * Lists the direct children of a directory.
   *
   * @param directory a relative path, or "" for the root
   * @return the children in name order; an empty list if the directory does not exist
   * @throws SpillException if the store cannot be read
   */
  List<StoreEntry> list(String directory);

  /**
   * Reads a whole small file (manifests, markers).
   *
   * @param file a relative path
   * @return its bytes
   * @throws SpillException if it does not exist or cannot be read
   */
  byte[] read(String file);

  /**
   * Reads part of a file, for example a Parquet footer. The default reads the whole file with
   * {@link #read(String)} and copies the range; a store that can read a range directly (a
   * positioned read, an HTTP {@code Range} request) should override it.
   *
   * @param file a relative path
   * @param offset where the range starts, at least 0
   * @param length how many bytes to read, at least 0
   * @return exactly {@code length} bytes
   * @throws SpillException if the file does not exist, cannot be read, or ends before the range
   */
  default byte[] read(String file, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
    byte[] all = read(file);
    if (offset + length > all.length) {
      throw new SpillException(
          file + " has " + all.length + " bytes; cannot read " + length + " from offset " + offset);
    }
    return java.util.Arrays.copyOfRange(all, (int) offset, (int) offset + length);
  }

  /**
   * Writes a small file so that readers see either its old content or its whole new content, never
   * a part: on a file system, a temporary sibling renamed over the target; on an object store, a
   * single PUT. Missing parent directories are created, but never the container itself (see {@link
   * SupportsContainerLifecycle}): a write into a dropped container fails, so that it does not come
   * back without spill's ownership marker. A store that writes through a temporary sibling names it
   * {@code .<file name>.tmp-<unique>}, so that spill's purge can recognize and remove one that a
   * killed process left behind.
   *
   * @param file a relative path
   * @param content the new bytes
   * @throws SpillException if it cannot be written; the old content is then unchanged
   */
  void write(String file, byte[] content);

  /**
   * Deletes one file. Never a directory: spill removes a tree it can prove it wrote file by file,
   * and then each directory once it is empty ({@link #deleteEmptyDirectory}), so that nothing it
   * did not write is ever removed with it. A symbolic link is removed itself, never what it points
   * to.
   *
   * @param file a relative path, not ""
   * @return whether the file existed and was removed; false if there was nothing to remove
   * @throws SpillException if the path is a directory, or the file exists and cannot be removed
   */
  boolean deleteFile(String file);

  /**
   * Deletes files, as {@link #deleteFile} does one. The default deletes them one by one; an object
   * store should override it with its batch delete.
   *
   * @param files relative paths of files, none ""
   * @return how many of them are gone now that existed before, as far as the store can tell (a
   *     batch delete that does not say whether a file existed counts every file it removed or found
   *     missing)
   * @throws SpillException if a path is a directory, or a file exists and cannot be removed; some
   *     of the others may be gone already
   */
  default int deleteFiles(List<String> files) {
    int removed = 0;
    for (String file : files) {
      if (deleteFile(file)) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Removes a directory if, and only if, it is empty. On an object store, where directories are
   * only prefixes, a prefix with nothing under it is already gone: return true without a request.
   *
   * @param directory a relative path, not "" (the root is a container: see {@link
   *     SupportsContainerLifecycle})
   * @return true if the directory is gone now (removed, or missing); false if it still holds
   *     something, which is left as it is
   * @throws SpillException if the store cannot be read or written
   */
  boolean deleteEmptyDirectory(String directory);

  /**
   * The location under which the engine on the driver reads and writes {@code path}. By default the
   * same as {@link #sparkUri(String)}; a local store returns a plain file-system path.
   *
   * @param path a relative path, or "" for the root
   * @return the location as the engine addresses it
   */
  default String engineUri(String path) {
    return sparkUri(path);
  }

  /**
   * Hadoop settings Spark needs to reach this store, which spill passes as options of each of its
   * own reads and writes ({@code DataFrameReader.options}, {@code DataFrameWriter.options}), never
   * as session settings: another job in the same session keeps its own. Spark copies such options
   * into the Hadoop configuration of that one read or write, on classic and Spark Connect sessions
   * alike. Keys should be scoped to this store's location (for S3, {@code
   * fs.s3a.bucket.<bucket>.*}). The default is none.
   *
   * @return the settings; they may hold credentials, so never log them
   */
  default Map<String, String> sparkOptions() {
    return Map.of();
  }

  /**
   * Whether {@code path} exists, as a file or a directory.
   *
   * @param path a relative path, not ""
   * @return true if the parent's listing holds it
   */
  default boolean exists(String path) {
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash);
    String name = path.substring(slash + 1);
    return list(parent).stream().anyMatch(e -> e.name().equals(name));
  }

  /**
   * A short description for logs and error messages; by default the root's Spark URI.
   *
   * @return the description, never holding a credential
   */
  default String describe() {
    return sparkUri("");
  }

  /** Releases clients and connections. Does not delete anything. The default does nothing. */
  @Override
  default void close() {}
}
