package io.spill.storage.local;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import io.spill.spi.helpers.StorePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link SpillStore} in a folder of the driver's file system. Spark reaches it only when it runs
 * on the driver alone (a local master or a single-node cluster); spill checks that before Spark
 * writes here. Its root folder is a container spill may create and, in PROD mode, drop when it is
 * empty.
 *
 * <p>A folder that is a symbolic link (say {@code _spill/checkpoints} on another disk) is listed
 * through the link; inside a listing a link is an entry of its own, never a folder, so removing a
 * tree removes the link and never what it points to.
 */
public final class LocalSpillStore implements SpillStore, SupportsContainerLifecycle {
  private final Path root;

  /**
   * A store rooted at {@code root}, which need not exist yet.
   *
   * @param root an absolute folder, or one relative to the working directory; made absolute
   */
  public LocalSpillStore(Path root) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath();
  }

  /**
   * The root folder.
   *
   * @return the folder
   */
  public Path root() {
    return root;
  }

  @Override
  public String sparkUri(String path) {
    // A Hadoop path string: Hadoop's Path takes the path after the scheme unescaped.
    return "file://" + resolve(path);
  }

  @Override
  public String engineUri(String path) {
    return resolve(path).toString();
  }

  @Override
  public List<StoreEntry> list(String directory) {
    Path dir = resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      List<StoreEntry> entries = new ArrayList<>();
      for (Path child : (Iterable<Path>) children::iterator) {
        BasicFileAttributes a;
        try {
          // A link is listed as what it is, not what it points to, so that removing a tree
          // removes a link inside it instead of descending into its target.
          a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        entries.add(
            new StoreEntry(
                child.getFileName().toString(),
                a.isDirectory(),
                a.isDirectory() ? 0 : a.size(),
                a.lastModifiedTime().toInstant()));
      }
      entries.sort(Comparator.comparing(StoreEntry::name));
      return entries;
    } catch (NoSuchFileException gone) {
      return List.of(); // removed between the check and the listing (another run's teardown)
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return List.of();
      }
      throw new SpillException("cannot list " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SpillException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] read(String file) {
    Path p = resolve(file);
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new SpillException("no file " + p + " in the local spill store", e);
    } catch (IOException e) {
      throw new SpillException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
    Path p = resolve(file);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(p)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new SpillException(
              p
                  + " has "
                  + channel.size()
                  + " bytes; cannot read "
                  + length
                  + " from offset "
                  + offset);
        }
      }
      return buffer.array();
    } catch (NoSuchFileException e) {
      throw new SpillException("no file " + p + " in the local spill store", e);
    } catch (IOException e) {
      throw new SpillException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String file, byte[] content) {
    requireNonNull(content, "content is null");
    Path target = resolve(file);
    if (target.equals(root)) {
      throw new IllegalArgumentException("cannot write the store root itself");
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          makeFoldersBelowRoot(target.getParent());
          Files.write(tmp, content);
          break;
        } catch (NoSuchFileException | FileAlreadyExistsException parentRemoved) {
          if (!Files.isDirectory(root)) {
            throw new SpillException(
                "cannot write "
                    + target
                    + ": the store's folder "
                    + root
                    + " is gone (dropped by a spill run tearing down, or removed); spill makes it"
                    + " again when a spiller starts",
                parentRemoved);
          }
          // another run removed a (then empty) folder on the way, while this one was making the
          // folders below it or writing into it: make them again. (A folder that another thread
          // made and a third removed before the check reads as "already exists"; a file where a
          // folder belongs fails the same way all five times.)
          if (attempt == 5) {
            throw parentRemoved;
          }
        }
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new SpillException(
          "cannot write "
              + target
              + ": "
              + e.getMessage()
              + " (check that the folder is writable and the disk is not full)",
          e);
    }
  }

  /**
   * Makes the missing folders from the root down to {@code dir}, never the root itself: a root that
   * is gone was dropped (by a spill run tearing down its container, or by hand), and a write must
   * not bring it back without its ownership marker.
   */
  private void makeFoldersBelowRoot(Path dir) throws IOException {
    if (dir.equals(root)) {
      return;
    }
    Path current = root;
    for (Path part : root.relativize(dir)) {
      current = current.resolve(part);
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectory(current); // fails if its parent, the root included, is gone
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(current)) {
            throw e;
          }
        }
      }
    }
  }

  @Override
  public boolean deleteFile(String file) {
    Path p = resolveNonRoot(file);
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new SpillException(
          "not deleting "
              + p
              + ": it is a folder, and spill deletes"
              + " folders only once they are empty");
    }
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new SpillException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    Path p = resolveNonRoot(directory);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.delete(p);
      return true;
    } catch (DirectoryNotEmptyException e) {
      return false;
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      throw new SpillException("cannot remove the folder " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean createContainerIfMissing() {
    if (Files.isDirectory(root)) {
      return false;
    }
    try {
      Path parent = root.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(root); // atomic: of several creators, exactly one succeeds
      return true;
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(root)) {
        return false;
      }
      throw new SpillException(
          "the local spill folder "
              + root
              + " exists but is not a folder; choose another with localDir(...) or store(...)",
          e);
    } catch (IOException e) {
      throw new SpillException(
          "cannot create the local spill folder "
              + root
              + ": "
              + e.getMessage()
              + "; choose a writable folder with localDir(...) or store(...)",
          e);
    }
  }

  @Override
  public boolean dropContainerIfEmpty() {
    try {
      Files.deleteIfExists(root);
      return true;
    } catch (DirectoryNotEmptyException e) {
      return false;
    } catch (IOException e) {
      throw new SpillException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path resolveNonRoot(String path) {
    if (requireNonNull(path, "path is null").isEmpty()) {
      throw new IllegalArgumentException("spill never deletes a store's root this way");
    }
    return resolve(path);
  }

  private Path resolve(String path) {
    String relative = StorePaths.requireRelative(path, true);
    return relative.isEmpty() ? root : root.resolve(relative);
  }

  @Override
  public String toString() {
    return "LocalSpillStore[" + root + "]";
  }
}
