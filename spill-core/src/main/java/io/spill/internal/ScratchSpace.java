package io.spill.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spill.internal.domain.SpillJson;
import io.spill.internal.domain.SpillLayout;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folders on the driver's disk that spill itself needs, whatever stores are configured: the
 * engine's temporary directory (DuckDB spills there beyond its memory limit) and staging folders
 * for stores the engine cannot open (S3, a volume through the Files API). Plain {@code java.nio}
 * folders, not a store, so they work without {@code spill-storage-local}:
 *
 * <pre>
 * &lt;localDir&gt;/_spill/scratch/&lt;run-id&gt;.owner     who owns the folder: host, process id, start
 * &lt;localDir&gt;/_spill/scratch/&lt;run-id&gt;/engine/   the engine's temporary files
 * &lt;localDir&gt;/_spill/scratch/&lt;run-id&gt;/staged/&lt;id&gt;/ copies of a store's files for the engine
 * </pre>
 *
 * <p>A run writes its owner file before it makes its folder, and at teardown removes the folder and
 * then the owner file. {@link #purge} removes another run's folder only when its owner file proves
 * that run's process is gone (same host, and no live process with that id and start time), so a
 * live run's files are never taken for a stale run's. Thread-safe.
 */
public final class ScratchSpace implements AutoCloseable {
  /** The scratch root inside {@code localDir}. */
  static final String DIR = SpillLayout.ROOT + "/scratch";

  private static final String OWNER_SUFFIX = ".owner";

  private final Path localDir;
  private final Path runDir;
  private final Path owner;

  private ScratchSpace(Path localDir, String runId) {
    this.localDir = localDir;
    Path scratch = localDir.resolve(DIR);
    this.runDir = scratch.resolve(runId);
    this.owner = scratch.resolve(runId + OWNER_SUFFIX);
  }

  /**
   * Takes run {@code runId}'s scratch folder in {@code localDir}: writes its owner file, then makes
   * the folder.
   *
   * @throws SpillException if the folder cannot be made
   */
  public static ScratchSpace open(Path localDir, String runId) {
    ScratchSpace space = new ScratchSpace(requireNonNull(localDir, "localDir is null"), runId);
    byte[] who = SpillJson.write(Owner.ofThisProcess(runId), "the scratch folder's owner");
    withParents(space.owner.getParent(), () -> Files.write(space.owner, who));
    withParents(space.runDir.getParent(), () -> Files.createDirectories(space.runDir));
    return space;
  }

  /**
   * Makes the default driver-local folder ({@code java.io.tmpdir/spill-<user>}) safe to use: a
   * missing one is created readable by its owner only; an existing one must belong to {@code user}
   * (another user could read, or replace, spill's files there), and is made owner-only. On a file
   * system without POSIX permissions the folder is only created.
   *
   * @throws SpillConfigurationException if the folder belongs to another user
   * @throws SpillException if it cannot be created
   */
  public static void claimDefaultRoot(Path dir, String user) {
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        try {
          if (posix) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
          } else {
            Files.createDirectory(dir);
          }
          return;
        } catch (FileAlreadyExistsException raced) {
          // another process made it (or it is a link or a file): checked below
        }
      }
      String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !owner.equals(user)) {
        throw new SpillConfigurationException(
            "the default driver-local folder "
                + dir
                + (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    ? " belongs to user " + owner + ", not to " + user
                    : " is not a folder")
                + ": another user could read or replace spill's files there. Pass a folder of"
                + " your own with localDir(...)");
      }
      if (posix && !Files.getPosixFilePermissions(dir).equals(ownerOnly)) {
        Files.setPosixFilePermissions(dir, ownerOnly);
      }
    } catch (IOException e) {
      throw new SpillException(
          "cannot prepare the driver-local folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The engine's temporary directory; the engine makes it when it needs it. */
  public Path engineDir() {
    return runDir.resolve("engine");
  }

  /** A new, empty staging folder. */
  public Path newStagingDir() {
    Path dir =
        runDir
            .resolve("staged")
            .resolve(UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    withParents(dir.getParent(), () -> Files.createDirectories(dir));
    return dir;
  }

  /**
   * Removes a folder of this run's scratch space and everything in it.
   *
   * @throws IllegalArgumentException if {@code dir} is not inside this run's folder
   */
  public void remove(Path dir) {
    if (!dir.normalize().startsWith(runDir) || dir.normalize().equals(runDir)) {
      throw new IllegalArgumentException(dir + " is not a folder of " + runDir);
    }
    deleteTree(dir);
  }

  /**
   * Removes this run's folder, then its owner file, then the scratch root and {@code _spill} if
   * they are empty (another run's files keep them).
   */
  @Override
  public void close() {
    deleteTree(runDir);
    try {
      Files.deleteIfExists(owner);
    } catch (IOException e) {
      throw new SpillException("cannot remove " + owner + ": " + e.getMessage(), e);
    }
    deleteIfEmpty(owner.getParent());
    deleteIfEmpty(localDir.resolve(SpillLayout.ROOT));
  }

  /**
   * Removes the scratch folders in {@code localDir} of runs whose process is gone: the owner file
   * names this host and a process id that is not running (or runs a process that started at another
   * time), and it is older than {@code cutoff}. An owner file this spill cannot read is reported in
   * {@code problems} and its folder kept; so is a folder of another host.
   *
   * @return the folders removed
   */
  public static List<String> purge(
      Path localDir, String ownRunId, Instant cutoff, List<String> problems) {
    Path scratch = localDir.resolve(DIR);
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(scratch)) {
      return removed;
    }
    List<Path> owners;
    try (Stream<Path> files = Files.list(scratch)) {
      owners = files.filter(p -> p.getFileName().toString().endsWith(OWNER_SUFFIX)).toList();
    } catch (NoSuchFileException gone) {
      return removed;
    } catch (IOException e) {
      problems.add("cannot list " + scratch + ": " + e.getMessage());
      return removed;
    }
    for (Path ownerFile : owners) {
      String name = ownerFile.getFileName().toString();
      String runId = name.substring(0, name.length() - OWNER_SUFFIX.length());
      if (runId.equals(ownRunId) || !SpillLayout.RUN_ID.matcher(runId).matches()) {
        continue;
      }
      try {
        if (!Files.getLastModifiedTime(ownerFile).toInstant().isBefore(cutoff)) {
          continue;
        }
        Owner o = SpillJson.read(Files.readAllBytes(ownerFile), Owner.class);
        if (!o.isGone()) {
          continue;
        }
        deleteTree(scratch.resolve(runId));
        Files.deleteIfExists(ownerFile);
        removed.add(scratch.resolve(runId).toString());
      } catch (NoSuchFileException gone) {
        // its run ended meanwhile
      } catch (IOException | RuntimeException e) {
        problems.add(
            "left the scratch folder of run "
                + runId
                + " in "
                + scratch
                + " alone: "
                + e.getMessage());
      }
    }
    deleteIfEmpty(scratch);
    return removed;
  }

  @Override
  public String toString() {
    return runDir.toString();
  }

  /**
   * Who owns a scratch folder.
   *
   * @param runId the run
   * @param host the driver's host name
   * @param pid its process id
   * @param processStart when that process started (ISO-8601), null where the system does not say
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Owner(String runId, String host, long pid, String processStart) {
    static Owner ofThisProcess(String runId) {
      ProcessHandle self = ProcessHandle.current();
      return new Owner(
          runId,
          thisHost(),
          self.pid(),
          self.info().startInstant().map(Instant::toString).orElse(null));
    }

    /** Whether the process that owned the folder has ended, as far as this host can prove. */
    boolean isGone() {
      if (!thisHost().equals(host)) {
        return false; // another host's process: not provably gone
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (process.isEmpty()) {
        return true;
      }
      Optional<Instant> started = process.get().info().startInstant();
      return processStart != null
          && started.isPresent()
          && !started.get().equals(Instant.parse(processStart)); // the id was reused
    }

    private static String thisHost() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "unknown";
      }
    }
  }

  /** An action on the disk that needs its parent folder. */
  private interface DiskAction {
    void run() throws IOException;
  }

  /**
   * Makes {@code parent} and runs {@code action}, again if another run removed an empty folder on
   * the way meanwhile (its teardown removes the scratch root once empty).
   */
  private static void withParents(Path parent, DiskAction action) {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(parent);
        action.run();
        return;
      } catch (NoSuchFileException | FileAlreadyExistsException removedMeanwhile) {
        if (attempt == 5) {
          throw new SpillException(
              "cannot make " + parent + ": " + removedMeanwhile, removedMeanwhile);
        }
      } catch (IOException e) {
        throw new SpillException(
            "cannot write in "
                + parent
                + ": "
                + e.getMessage()
                + " (check that localDir is writable and the disk is not full)",
            e);
      }
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException keep) {
      // another run's files are there
    } catch (IOException e) {
      throw new SpillException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a folder this run made and everything in it; links are removed, never followed. */
  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException gone) {
      // removed meanwhile
    } catch (IOException e) {
      throw new SpillException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
