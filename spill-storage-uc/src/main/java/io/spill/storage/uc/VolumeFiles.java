package io.spill.storage.uc;

import io.spill.spi.StoreEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * How the driver reaches a volume's files: through the {@code /Volumes} mount ({@link MountFiles})
 * or the Files API ({@link ApiFiles}). Paths are relative to the store's root, as {@link
 * io.spill.spi.SpillStore}'s are, and have been checked.
 */
interface VolumeFiles {

  List<StoreEntry> list(String directory);

  byte[] read(String file);

  byte[] read(String file, long offset, int length);

  void write(String file, byte[] content);

  boolean deleteFile(String file);

  boolean deleteEmptyDirectory(String directory);

  boolean exists(String path);

  /** Copies one file of the volume to the driver's disk, whole or not at all. */
  void download(String file, Path target);

  /** Copies one local file into the volume, whole or not at all. */
  void upload(Path source, String file);
}
