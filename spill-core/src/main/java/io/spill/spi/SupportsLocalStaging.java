package io.spill.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * An optional ability of a {@link SpillStore} whose files the engine on the driver cannot open
 * where they are (an object store, a volume reached through an HTTP API): spill copies exactly the
 * committed files an engine reads into a folder of the run's driver-local namespace, and uploads
 * the files an engine writes from such a folder. Teardown removes that folder with the run; a
 * crashed run's folder goes with its purge.
 *
 * <p>Both methods work in parallel on a bounded number of threads, and check each file's length
 * against what the store reports, so a cut connection is an error, never a short file.
 */
public interface SupportsLocalStaging {

  /**
   * Downloads files of the store to the driver's disk.
   *
   * @param files store paths (relative to the store's root) mapped to the local files to create;
   *     the local files' folders exist, the files themselves do not
   * @throws SpillException if a file cannot be read whole; local files already made are then left
   *     for the caller to remove
   */
  void download(Map<String, Path> files);

  /**
   * Uploads local files into the store. Each store file appears whole or not at all (large files go
   * in parts, committed by one last request).
   *
   * @param files local files mapped to the store paths (relative to the store's root) to create
   * @throws SpillException if a file cannot be written whole; files already uploaded then stay, for
   *     the caller to remove
   */
  void upload(Map<Path, String> files);

  /**
   * Whether engines need local copies of this store's files. A store that learns only once it is
   * open whether the engine can reach its files directly (a volume whose mount works from some
   * processes and not from others) returns false where it can, and spill then hands the engine
   * {@link SpillStore#engineUri} paths. The default is true.
   *
   * @return whether spill stages this store's files for the engine
   */
  default boolean stagesFiles() {
    return true;
  }
}
