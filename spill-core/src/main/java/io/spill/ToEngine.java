package io.spill;

import java.util.Objects;

/**
 * How {@link VolumeSpiller#sparkToEngine(org.apache.spark.sql.Dataset, ToEngine)} hands a Dataset
 * to the engine. Immutable; start from {@link #eager()} or {@link #lazy()}.
 */
public final class ToEngine {

  /** The default file size {@link #optimizeFiles(boolean)} aims at: 128 MiB. */
  public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;

  private final boolean lazy;
  private final boolean optimizeFiles;
  private final long targetFileBytes;

  private ToEngine(boolean lazy, boolean optimizeFiles, long targetFileBytes) {
    if (targetFileBytes < (1L << 20)) {
      throw new IllegalArgumentException(
          "targetFileBytes must be at least 1 MiB (1048576), got " + targetFileBytes);
    }
    this.lazy = lazy;
    this.optimizeFiles = optimizeFiles;
    this.targetFileBytes = targetFileBytes;
  }

  /**
   * Loads the rows into the engine now; the spilled files are removed right after.
   *
   * @return the settings of an eager transfer
   */
  public static ToEngine eager() {
    return new ToEngine(false, false, DEFAULT_TARGET_FILE_BYTES);
  }

  /**
   * A frame that scans the spilled files when used; they stay until teardown.
   *
   * @return the settings of a lazy transfer
   */
  public static ToEngine lazy() {
    return new ToEngine(true, false, DEFAULT_TARGET_FILE_BYTES);
  }

  /**
   * The same settings with optimizeFiles on or off. On: when Spark wrote several files averaging
   * under half of {@link #targetFileBytes()}, they are packed into fewer files of about that size
   * by re-reading them with that split size (Spark's file scan combines small files), so the
   * computation that produced the Dataset keeps its parallelism: no coalesce, no shuffle.
   *
   * @param on whether to pack the files
   * @return new settings
   */
  public ToEngine optimizeFiles(boolean on) {
    return new ToEngine(lazy, on, targetFileBytes);
  }

  /**
   * The same settings with another target file size for optimizeFiles (at least 1 MiB).
   *
   * @param bytes the file size, at least 1 MiB
   * @return new settings
   */
  public ToEngine targetFileBytes(long bytes) {
    return new ToEngine(lazy, optimizeFiles, bytes);
  }

  /** {@return whether the frame scans the spilled files rather than loading them} */
  public boolean isLazy() {
    return lazy;
  }

  /** {@return whether Spark's output is packed into fewer, larger files first} */
  public boolean optimizesFiles() {
    return optimizeFiles;
  }

  /** {@return the file size optimizeFiles aims at} */
  public long targetFileBytes() {
    return targetFileBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToEngine t
        && t.lazy == lazy
        && t.optimizeFiles == optimizeFiles
        && t.targetFileBytes == targetFileBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lazy, optimizeFiles, targetFileBytes);
  }

  @Override
  public String toString() {
    return (lazy ? "lazy" : "eager")
        + (optimizeFiles ? ", optimizeFiles to " + targetFileBytes + " bytes" : "");
  }
}
