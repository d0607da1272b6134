package io.spill;

import java.util.Objects;

/**
 * How {@link VolumeSpiller#sparkToEngine(org.apache.spark.sql.Dataset, ToEngine)} hands a Dataset
 * to the engine. Immutable; start from {@link #auto()} (the default), {@link #eager()}, {@link
 * #lazy()} or {@link #arrow()}.
 *
 * <p>There are two ways from Spark to the engine. <b>Spill</b>: Spark writes Parquet to the store
 * in parallel and the engine reads the files, which scales to any size. <b>Arrow batches</b>:
 * Spark's executors encode the rows as Arrow record batches in parallel and the engine reads them
 * as they reach the driver, which skips the files and wins for Datasets small enough to hold on the
 * driver. {@link #auto()} chooses per Dataset.
 */
public final class ToEngine {

  /** The default file size {@link #optimizeFiles(boolean)} aims at: 128 MiB. */
  public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;

  /**
   * The least default limit on a transfer's Arrow batches: 256 MiB. The default limit is an eighth
   * of the driver's maximum heap, and at least this (see {@link #defaultArrowLimitBytes()}).
   */
  public static final long MIN_DEFAULT_ARROW_LIMIT_BYTES = 256L << 20;

  /**
   * The share of the limit that {@link #auto()} takes as its largest size estimate unless told
   * otherwise: a fifth. Spark estimates a Parquet scan by its compressed file size, and the Arrow
   * batches of the same rows are about three to five times that (spill-bench: 2.7 to 3.1 times for
   * its 10 mixed columns, 4.9 times for TPC-H {@code lineitem}), so within a fifth of the limit the
   * batches of most Datasets stay under it, and few are encoded only to be dropped there.
   */
  public static final int DEFAULT_AUTO_ESTIMATE_SHARE_OF_LIMIT = 5;

  /** The way a transfer goes. */
  public enum Path {
    /** Arrow batches when the Dataset fits the limit, else spill and load eagerly. */
    AUTO,
    /** Spill, and load the rows into the engine. */
    EAGER,
    /** Spill, and scan the files when the frame is used. */
    LAZY,
    /** Arrow batches, always; a Dataset past the limit is refused. */
    ARROW
  }

  private final Path path;
  private final boolean optimizeFiles;
  private final long targetFileBytes;
  private final long arrowLimitBytes;

  /** The largest estimate auto() takes Arrow batches for, or AUTO_ESTIMATE_FROM_LIMIT. */
  private final long autoArrowMaxEstimateBytes;

  /** Unset: auto() takes Arrow batches up to a fifth of the limit. */
  private static final long AUTO_ESTIMATE_FROM_LIMIT = -1;

  private ToEngine(
      Path path,
      boolean optimizeFiles,
      long targetFileBytes,
      long arrowLimitBytes,
      long autoArrowMaxEstimateBytes) {
    if (targetFileBytes < (1L << 20)) {
      throw new IllegalArgumentException(
          "targetFileBytes must be at least 1 MiB (1048576), got " + targetFileBytes);
    }
    if (arrowLimitBytes < 1) {
      throw new IllegalArgumentException(
          "arrowLimitBytes must be positive, got " + arrowLimitBytes);
    }
    this.path = path;
    this.optimizeFiles = optimizeFiles;
    this.targetFileBytes = targetFileBytes;
    this.arrowLimitBytes = arrowLimitBytes;
    this.autoArrowMaxEstimateBytes = autoArrowMaxEstimateBytes;
  }

  private static ToEngine of(Path path) {
    return new ToEngine(
        path, false, DEFAULT_TARGET_FILE_BYTES, defaultArrowLimitBytes(), AUTO_ESTIMATE_FROM_LIMIT);
  }

  /**
   * The default limit on a transfer's Arrow batches: an eighth of this JVM's maximum heap (the
   * driver's, where spill runs), and at least {@link #MIN_DEFAULT_ARROW_LIMIT_BYTES}. The batches
   * reach the driver as Spark's task results, which Spark copies on their way, so the driver's
   * memory peaks at several times the batches: an eighth leaves the heap room for that. {@code
   * spark.driver.maxResultSize} bounds the limit at each transfer.
   *
   * @return the default limit in bytes
   */
  public static long defaultArrowLimitBytes() {
    long heap = Runtime.getRuntime().maxMemory();
    return heap == Long.MAX_VALUE
        ? MIN_DEFAULT_ARROW_LIMIT_BYTES
        : Math.max(MIN_DEFAULT_ARROW_LIMIT_BYTES, heap / 8);
  }

  /**
   * The default: Arrow batches when the Dataset is small enough to hold on the driver, else an
   * eager spill. Small enough means that Spark's size estimate of the optimized plan is within
   * {@link #autoArrowMaxEstimateBytes()} and within the limit, {@link #arrowLimitBytes()} bounded
   * by {@code spark.driver.maxResultSize} (unless set, the largest estimate is a fifth of that
   * bounded limit), that every column has an Arrow form, and that the engine takes Arrow batches.
   * If the batches turn out larger than the limit (the estimate was wrong), spill stops them and
   * spills instead. The log line of each transfer says which path it took and why.
   *
   * @return the settings of an automatic transfer
   */
  public static ToEngine auto() {
    return of(Path.AUTO);
  }

  /**
   * Loads the rows into the engine now, through spilled files, which are removed right after.
   *
   * @return the settings of an eager transfer
   */
  public static ToEngine eager() {
    return of(Path.EAGER);
  }

  /**
   * A frame that scans the spilled files when used; they stay until teardown.
   *
   * @return the settings of a lazy transfer
   */
  public static ToEngine lazy() {
    return of(Path.LAZY);
  }

  /**
   * Arrow batches, whatever the size estimate: the rows are encoded by Spark's executors and read
   * by the engine as they reach the driver. A Dataset whose batches exceed {@link
   * #arrowLimitBytes()} (or {@code spark.driver.maxResultSize}) is refused with a {@link
   * io.spill.spi.SpillException} once the limit is reached, so that it never takes the driver down;
   * so is an engine that does not take Arrow batches, or a column without an Arrow form.
   *
   * @return the settings of an Arrow transfer
   */
  public static ToEngine arrow() {
    return of(Path.ARROW);
  }

  /**
   * The same settings with optimizeFiles on or off. On: when Spark wrote several files averaging
   * under half of {@link #targetFileBytes()}, they are packed into fewer files of about that size
   * by re-reading them with that split size (Spark's file scan combines small files), so the
   * computation that produced the Dataset keeps its parallelism: no coalesce, no shuffle. Applies
   * to the spill path only.
   *
   * @param on whether to pack the files
   * @return new settings
   */
  public ToEngine optimizeFiles(boolean on) {
    return new ToEngine(path, on, targetFileBytes, arrowLimitBytes, autoArrowMaxEstimateBytes);
  }

  /**
   * The same settings with another target file size for optimizeFiles (at least 1 MiB).
   *
   * @param bytes the file size, at least 1 MiB
   * @return new settings
   */
  public ToEngine targetFileBytes(long bytes) {
    return new ToEngine(path, optimizeFiles, bytes, arrowLimitBytes, autoArrowMaxEstimateBytes);
  }

  /**
   * The same settings with another limit on the bytes of a transfer's Arrow batches (see {@link
   * #defaultArrowLimitBytes()}); {@code spark.driver.maxResultSize} bounds it too.
   *
   * @param bytes the limit, positive
   * @return new settings
   */
  public ToEngine arrowLimitBytes(long bytes) {
    return new ToEngine(path, optimizeFiles, targetFileBytes, bytes, autoArrowMaxEstimateBytes);
  }

  /**
   * The same settings with another largest size estimate for which {@link #auto()} takes Arrow
   * batches, instead of a fifth of the limit ({@link #DEFAULT_AUTO_ESTIMATE_SHARE_OF_LIMIT}); 0
   * makes {@code auto()} always spill. Above {@link #arrowLimitBytes()}, or above {@code
   * spark.driver.maxResultSize}, it has no effect: those bound it. Only {@code auto()} reads it.
   *
   * @param bytes the largest estimate, 0 or more
   * @return new settings
   */
  public ToEngine autoArrowMaxEstimateBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException(
          "autoArrowMaxEstimateBytes must be 0 (auto() always spills) or more, got " + bytes);
    }
    return new ToEngine(path, optimizeFiles, targetFileBytes, arrowLimitBytes, bytes);
  }

  /** {@return the way the transfer goes} */
  public Path path() {
    return path;
  }

  /** {@return whether the frame scans the spilled files rather than loading them} */
  public boolean isLazy() {
    return path == Path.LAZY;
  }

  /** {@return whether Spark's output is packed into fewer, larger files first} */
  public boolean optimizesFiles() {
    return optimizeFiles;
  }

  /** {@return the file size optimizeFiles aims at} */
  public long targetFileBytes() {
    return targetFileBytes;
  }

  /** {@return the most bytes of Arrow batches the transfer takes from Spark} */
  public long arrowLimitBytes() {
    return arrowLimitBytes;
  }

  /**
   * {@return the largest size estimate for which auto() takes Arrow batches: as set, or else a
   * fifth of the limit}
   */
  public long autoArrowMaxEstimateBytes() {
    return autoArrowMaxEstimateBytes == AUTO_ESTIMATE_FROM_LIMIT
        ? arrowLimitBytes / DEFAULT_AUTO_ESTIMATE_SHARE_OF_LIMIT
        : autoArrowMaxEstimateBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToEngine t
        && t.path == path
        && t.optimizeFiles == optimizeFiles
        && t.targetFileBytes == targetFileBytes
        && t.arrowLimitBytes == arrowLimitBytes
        && t.autoArrowMaxEstimateBytes == autoArrowMaxEstimateBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        path, optimizeFiles, targetFileBytes, arrowLimitBytes, autoArrowMaxEstimateBytes);
  }

  @Override
  public String toString() {
    return path.name().toLowerCase(java.util.Locale.ROOT)
        + (optimizeFiles ? ", optimizeFiles to " + targetFileBytes + " bytes" : "")
        + (arrowLimitBytes != defaultArrowLimitBytes()
            ? ", Arrow limit " + arrowLimitBytes + " bytes"
            : "")
        + (autoArrowMaxEstimateBytes != AUTO_ESTIMATE_FROM_LIMIT
            ? ", auto takes Arrow up to an estimate of " + autoArrowMaxEstimateBytes + " bytes"
            : "");
  }
}
