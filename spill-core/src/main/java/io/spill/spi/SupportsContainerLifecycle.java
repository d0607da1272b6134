package io.spill.spi;

/**
 * An optional ability of a {@link SpillStore} whose root is a container spill may create and
 * drop: a Unity Catalog volume, or the root folder of a local store.
 *
 * <p>spill only drops a container that it created itself (it writes an ownership marker after
 * {@link #createContainerIfMissing()} returns true) and that holds nothing spill did not write.
 */
public interface SupportsContainerLifecycle {

  /**
   * Creates the container if it does not exist yet.
   *
   * @return true if this call created it, false if it existed already
   * @throws SpillException if it is missing and cannot be created
   */
  boolean createContainerIfMissing();

  /**
   * Drops the container, which spill has emptied before calling this.
   *
   * @throws SpillException if it cannot be dropped
   */
  void dropContainer();
}
