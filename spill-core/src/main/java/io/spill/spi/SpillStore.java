package io.spill.spi;

import java.util.List;

/**
 * A place where spill keeps Parquet files that both Spark and a single-node engine can reach:
 * a Unity Catalog volume, an S3 prefix, or a folder on the driver.
 *
 * <p>Every path argument is relative to the store's root, uses '/' as separator, and has no
 * leading '/', no empty segment and no {@code .} or {@code ..} segment; spill builds these paths
 * itself and validates user input before it gets here. The empty string means the root.
 *
 * <p>Implementations are thread-safe. Optional abilities are separate interfaces, such as
 * {@link SupportsContainerLifecycle}.
 */
public interface SpillStore extends AutoCloseable {

  /**
   * The URI under which Spark reads and writes {@code path}, for example
   * {@code file:/tmp/spill/checkpoints/a} or {@code s3a://bucket/prefix/checkpoints/a}.
   * Pure: no I/O.
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
   * Writes a small file so that readers see either its old content or its whole new content,
   * never a part: on a file system, a temporary sibling renamed over the target; on an object
   * store, a single PUT. Missing parent directories are created.
   *
   * @param file a relative path
   * @param content the new bytes
   * @throws SpillException if it cannot be written; the old content is then unchanged
   */
  void write(String file, byte[] content);

  /**
   * Deletes a file, or a directory with everything below it.
   *
   * @param path a relative path; never "" (spill does not delete a store's root through this)
   * @return whether anything existed and was removed
   * @throws SpillException if something existed and could not be removed
   */
  boolean delete(String path);

  /**
   * The location under which the engine on the driver reads and writes {@code path}. By default
   * the same as {@link #sparkUri(String)}; a local store returns a plain file-system path.
   *
   * @param path a relative path, or "" for the root
   * @return the location as the engine addresses it
   */
  default String engineUri(String path) {
    return sparkUri(path);
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

  /** A short description for logs and error messages; by default the root's Spark URI. */
  default String describe() {
    return sparkUri("");
  }

  /** Releases clients and connections. Does not delete anything. The default does nothing. */
  @Override
  default void close() {}
}
