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

  /**
   * Drops the container if, and only if, it holds exactly {@code files} (spill's marker) and the
   * folders above them, nothing else: the container goes with them. spill calls this, not {@link
   * #dropContainerIfEmpty()}, so that its marker stays in place until the drop: a spill run that
   * starts meanwhile sees it and keeps out.
   *
   * <p>The default deletes the files and their folder, and then calls {@link
   * #dropContainerIfEmpty()}: right for a container whose drop itself refuses one that is not empty
   * (a folder). A store whose drop deletes what the container holds (a Unity Catalog volume)
   * overrides it to check, as near the drop as it can, that nothing else is there.
   *
   * @param files the files spill expects, relative to the store's root, all in one folder
   * @return true if it is gone; false if anything else is there, and then nothing was dropped (the
   *     files may be gone: the caller writes back what it needs)
   * @throws SpillException if the drop fails
   */
  default boolean dropContainerHolding(java.util.List<String> files) {
    if (!(this instanceof SpillStore store)) {
      throw new IllegalStateException(getClass().getName() + " is not a SpillStore");
    }
    String folder = null;
    for (String file : files) {
      store.deleteFile(file);
      int slash = file.lastIndexOf('/');
      folder = slash < 0 ? "" : file.substring(0, slash);
    }
    if (folder != null && !folder.isEmpty() && !store.deleteEmptyDirectory(folder)) {
      return false;
    }
    return dropContainerIfEmpty();
  }
}
