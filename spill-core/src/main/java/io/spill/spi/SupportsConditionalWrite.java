package io.spill.spi;

import java.util.Optional;

/**
 * An optional ability of a {@link SpillStore} that writes a small file only if it still is the
 * version the writer read (S3's {@code If-Match} and {@code If-None-Match}, an ETag): spill then
 * commits a checkpoint's manifest by compare-and-swap, so two runs saving one checkpoint at once
 * never replace each other's commit unseen. A store without it commits by a plain {@link
 * SpillStore#write}, last writer wins.
 */
public interface SupportsConditionalWrite {

  /**
   * Reads a small file with its version.
   *
   * @param file a relative path
   * @return its content and version; empty if it does not exist
   * @throws SpillException if it exists and cannot be read
   */
  Optional<VersionedContent> readVersioned(String file);

  /**
   * Writes {@code content} to {@code file} as {@link SpillStore#write} does, but only if the file
   * is still at {@code expectedVersion}.
   *
   * @param file a relative path
   * @param content the new bytes
   * @param expectedVersion the version {@link #readVersioned} returned, or null: only if the file
   *     does not exist
   * @return true if written; false if the file changed, appeared or was removed since, and nothing
   *     was written
   * @throws SpillException if it cannot be written for another reason
   */
  boolean writeIfVersion(String file, byte[] content, String expectedVersion);
}
