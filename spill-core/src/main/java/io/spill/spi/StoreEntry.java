package io.spill.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One child of a directory in a {@link SpillStore}.
 *
 * @param name the child's name, without any '/'
 * @param directory whether it is a directory (or an object-store prefix)
 * @param size its size in bytes; 0 for a directory
 * @param modified when it was last modified; {@link Instant#EPOCH} where the store cannot tell
 */
public record StoreEntry(String name, boolean directory, long size, Instant modified) {
  /**
   * Checks the components.
   *
   * @param name the child's name, without any '/'
   * @param directory whether it is a directory (or an object-store prefix)
   * @param size its size in bytes; 0 for a directory
   * @param modified when it was last modified; {@link Instant#EPOCH} where the store cannot tell
   */
  public StoreEntry {
    requireNonNull(name, "name is null");
    requireNonNull(modified, "modified is null");
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "a store entry name is one path segment, got '" + name + "'");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size is negative: " + size);
    }
  }
}
