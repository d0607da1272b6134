package io.spill.storage.uc;

import io.spill.spi.SpillException;
import io.spill.spi.StoreEntry;
import io.spill.storage.local.LocalSpillStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The volume's files through the {@code /Volumes} mount of the driver's JVM, with spill's local
 * store doing the file work (writes through a temporary sibling and a rename, narrow deletes).
 */
final class MountFiles implements VolumeFiles {
  private final LocalSpillStore mount;

  /**
   * @param root the store's root as the driver's JVM sees it under the mount
   */
  MountFiles(Path root) {
    this.mount = new LocalSpillStore(root);
  }

  /** The local path of a store path, which the engine opens directly. */
  String localPath(String path) {
    return mount.engineUri(path);
  }

  @Override
  public List<StoreEntry> list(String directory) {
    return mount.list(directory);
  }

  @Override
  public byte[] read(String file) {
    return mount.read(file);
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    return mount.read(file, offset, length);
  }

  @Override
  public void write(String file, byte[] content) {
    mount.write(file, content);
  }

  @Override
  public boolean deleteFile(String file) {
    return mount.deleteFile(file);
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    return mount.deleteEmptyDirectory(directory);
  }

  @Override
  public boolean exists(String path) {
    return mount.exists(path);
  }

  @Override
  public void download(String file, Path target) {
    copy(Path.of(mount.engineUri(file)), target);
  }

  @Override
  public void upload(Path source, String file) {
    Path target = Path.of(mount.engineUri(file));
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new SpillException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
    }
    // whole or not at all: a temporary sibling (named as spill's purge recognizes), renamed
    Path temporary =
        target.resolveSibling("." + target.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
    copy(source, temporary);
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new SpillException(
          "cannot move " + temporary + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new SpillException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }
}
