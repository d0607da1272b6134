package io.spill.spi;

/**
 * An optional ability of a {@link SpillStore} whose root is a container spill may create and drop:
 * a Unity Catalog volume, or the root folder of a local store.
 *
 * <p>spill drops only a container it created itself (it writes an ownership marker below {@code
 * _spill/} when {@link #createContainerIfMissing()} returns true) and only once nothing but that
 * marker is left in it.
 */
public interface SupportsContainerLifecycle {

  /**
   * Creates the container if it does not exist yet. When several processes call this at once on a
   * missing container, exactly one of them gets true.
   *
   * @return true if this call created it, false if it existed already
   * @throws SpillException if it is missing and cannot be created, or the location is taken by
   *     something that is not a container (a file)
   */
  boolean createContainerIfMissing();

  /**
   * Drops the container if, and only if, it is empty; never anything in it.
   *
   * @return true if it is gone, false if it still holds something and was kept
   * @throws SpillException if it is empty and cannot be dropped
   */
  boolean dropContainerIfEmpty();
}
