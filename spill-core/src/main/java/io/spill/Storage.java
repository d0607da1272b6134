package io.spill;

/** Where a checkpoint lives. */
public enum Storage {
  /**
   * The configured spill store: a Unity Catalog volume, S3, or a folder (the default store when
   * none is configured is the driver-local folder, so then VOLUME and LOCAL are the same place).
   */
  VOLUME,
  /**
   * The driver's local disk ({@code localDir}): fast, gone when the cluster restarts. Spark can
   * write here only when it runs on the driver alone (a local master or a single-node cluster).
   */
  LOCAL
}
