package io.spill.internal.domain;

import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Narrow deletion over the store port: spill removes a directory only when it can prove it wrote it
 * (its own run directory, a data directory a manifest names or that carries its writer's run id),
 * file by file, and then each directory once it is empty.
 */
public final class StoreTrees {
  private StoreTrees() {}

  /**
   * Removes every file below {@code dir}, then each directory once empty, then {@code dir}. Call it
   * only for a directory spill proved it wrote.
   *
   * @return the number of files removed
   */
  public static int removeOwnedTree(SpillStore store, String dir) {
    int removed = 0;
    List<String> files = new ArrayList<>();
    for (StoreEntry e : store.list(dir)) {
      String child = SpillLayout.join(dir, e.name());
      if (e.directory()) {
        removed += removeOwnedTree(store, child);
      } else {
        files.add(child);
      }
    }
    if (!files.isEmpty()) {
      removed += store.deleteFiles(files);
    }
    store.deleteEmptyDirectory(dir);
    return removed;
  }
}
