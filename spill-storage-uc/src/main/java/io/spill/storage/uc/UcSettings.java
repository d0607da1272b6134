package io.spill.storage.uc;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.helpers.LocalPaths;
import io.spill.spi.helpers.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code uc.*} options. The token is handed to the Databricks SDK only: no accessor returns it,
 * and {@link #toString()} and every message leave it out. Immutable; two settings are equal when
 * every option is.
 */
public final class UcSettings {
  private final String host;
  private final String token;
  private final FileAccess files;
  private final Ddl ddl;
  private final String sparkRoot;
  private final Path mountRoot;
  private final int threads;
  private final Duration retryTimeout;

  static final String HOST = "uc.host";
  static final String TOKEN = "uc.token";
  static final String FILES = "uc.files";
  static final String DDL = "uc.ddl";
  static final String SPARK_ROOT = "uc.spark-root";
  static final String MOUNT_ROOT = "uc.mount-root";
  static final String THREADS = "uc.threads";
  static final String RETRY_TIMEOUT = "uc.retry-timeout";

  /** Every key the volume store reads. */
  static final Set<String> KEYS =
      Set.of(HOST, TOKEN, FILES, DDL, SPARK_ROOT, MOUNT_ROOT, THREADS, RETRY_TIMEOUT);

  /** How the driver reaches the volume's files. */
  public enum FileAccess {
    /** The mount where a probe shows it works from this JVM, else the Files API (default). */
    AUTO,
    /** The {@code /Volumes} mount, read and written with {@code java.nio}. */
    MOUNT,
    /** The Files API, with downloads to and uploads from the driver's disk. */
    API
  }

  /** How spill creates a missing volume and drops one it created. */
  public enum Ddl {
    /** {@code CREATE VOLUME} and {@code DROP VOLUME} through the Spark session (default). */
    SQL,
    /** The Unity Catalog volumes API through the Databricks SDK. */
    API,
    /** Neither: the volume must exist, and spill never drops it. */
    NONE
  }

  private UcSettings(
      String host,
      String token,
      FileAccess files,
      Ddl ddl,
      String sparkRoot,
      Path mountRoot,
      int threads,
      Duration retryTimeout) {
    if (token != null && host == null) {
      throw new SpillConfigurationException(
          TOKEN
              + " needs "
              + HOST
              + " (the workspace URL,"
              + " such as https://adb-123.4.azuredatabricks.net)");
    }
    if (host != null && !host.startsWith("https://") && !host.startsWith("http://")) {
      throw new SpillConfigurationException(
          HOST + " must be the workspace URL, starting with" + " https://, got '" + host + "'");
    }
    if (files == null
        || ddl == null
        || sparkRoot == null
        || mountRoot == null
        || retryTimeout == null) {
      throw new SpillConfigurationException(
          "files, ddl, sparkRoot, mountRoot and retryTimeout"
              + " are required; UcSettings.defaults() has them all");
    }
    if (sparkRoot.isEmpty() || sparkRoot.endsWith("/")) {
      throw new SpillConfigurationException(
          SPARK_ROOT
              + " must be a prefix without a trailing"
              + " '/', such as /Volumes, got '"
              + sparkRoot
              + "'");
    }
    String rootPath = sparkRoot.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?", "");
    if (!rootPath.startsWith("/")
        || java.util.Arrays.stream(rootPath.split("/"))
            .anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
      throw new SpillConfigurationException(
          SPARK_ROOT
              + " must be an absolute path or URI"
              + " without '.' or '..' segments, such as /Volumes or file:///tmp/volumes, got '"
              + sparkRoot
              + "'");
    }
    if (threads < 1 || threads > 64) {
      throw new SpillConfigurationException(THREADS + " must be 1 to 64, got " + threads);
    }
    if (retryTimeout.isNegative() || retryTimeout.isZero()) {
      throw new SpillConfigurationException(
          RETRY_TIMEOUT + " must be positive, got " + retryTimeout);
    }
    this.host = host;
    this.token = token;
    this.files = files;
    this.ddl = ddl;
    this.sparkRoot = sparkRoot;
    this.mountRoot = mountRoot;
    this.threads = threads;
    this.retryTimeout = retryTimeout;
  }

  /** {@return the workspace URL ({@code uc.host}), or null for the SDK's default auth chain} */
  public String host() {
    return host;
  }

  /** {@return whether a personal access token ({@code uc.token}) was given} */
  public boolean hasToken() {
    return token != null;
  }

  /** The token, for the SDK only; null if none. */
  String token() {
    return token;
  }

  /** {@return how the driver reaches the volume's files ({@code uc.files})} */
  public FileAccess files() {
    return files;
  }

  /** {@return how a missing volume is created and one spill created dropped ({@code uc.ddl})} */
  public Ddl ddl() {
    return ddl;
  }

  /** {@return the prefix under which Spark addresses volumes ({@code uc.spark-root})} */
  public String sparkRoot() {
    return sparkRoot;
  }

  /** {@return where the driver's JVM finds the volumes' mount ({@code uc.mount-root})} */
  public Path mountRoot() {
    return mountRoot;
  }

  /** {@return how many files move at once between the volume and the driver's disk} */
  public int threads() {
    return threads;
  }

  /** {@return how long one Files API request may be retried before spill gives up} */
  public Duration retryTimeout() {
    return retryTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UcSettings u
        && java.util.Objects.equals(host, u.host)
        && java.util.Objects.equals(token, u.token)
        && files == u.files
        && ddl == u.ddl
        && sparkRoot.equals(u.sparkRoot)
        && mountRoot.equals(u.mountRoot)
        && threads == u.threads
        && retryTimeout.equals(u.retryTimeout);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        host, token, files, ddl, sparkRoot, mountRoot, threads, retryTimeout);
  }

  /**
   * The defaults: the SDK's default auth chain, {@code auto} files, {@code sql} DDL.
   *
   * @return the settings
   */
  public static UcSettings defaults() {
    return from(Map.of());
  }

  /**
   * Settings from {@code uc.*} options.
   *
   * @param options {@code uc.*} options
   * @return the settings
   * @throws SpillConfigurationException for an unknown key or an unusable value
   */
  public static UcSettings from(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        throw new SpillConfigurationException(
            "unknown option '" + key + "' for uc; known keys: " + new TreeSet<>(KEYS));
      }
    }
    String host = blankToNull(options.get(HOST));
    return new UcSettings(
        host == null ? null : host.replaceAll("/+$", ""),
        blankToNull(options.get(TOKEN)),
        OptionValues.choice(FILES, FileAccess.class, options.getOrDefault(FILES, "auto")),
        OptionValues.choice(DDL, Ddl.class, options.getOrDefault(DDL, "sql")),
        options.getOrDefault(SPARK_ROOT, "/Volumes").trim().replaceAll("(?<=.)/+$", ""),
        mountRoot(options.getOrDefault(MOUNT_ROOT, "/Volumes").trim()),
        OptionValues.integer(THREADS, options.getOrDefault(THREADS, "8"), 1, 64),
        OptionValues.duration(RETRY_TIMEOUT, options.getOrDefault(RETRY_TIMEOUT, "60s")));
  }

  /**
   * These settings with another way to reach the files.
   *
   * @param access how the driver reaches the files
   * @return new settings
   */
  public UcSettings withFiles(FileAccess access) {
    return new UcSettings(host, token, access, ddl, sparkRoot, mountRoot, threads, retryTimeout);
  }

  /**
   * These settings with another way to create and drop the volume.
   *
   * @param how how the volume is created and dropped
   * @return new settings
   */
  public UcSettings withDdl(Ddl how) {
    return new UcSettings(host, token, files, how, sparkRoot, mountRoot, threads, retryTimeout);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The mount's folder: absolute, without '.' or '..' segments (they would leave it). */
  private static Path mountRoot(String value) {
    Path path;
    try {
      path = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new SpillConfigurationException(
          MOUNT_ROOT + " '" + value + "' is not a path: " + e.getMessage(), e);
    }
    if (!path.isAbsolute()) {
      throw new SpillConfigurationException(
          MOUNT_ROOT + " must be an absolute folder such as" + " /Volumes, got '" + value + "'");
    }
    return LocalPaths.check(MOUNT_ROOT, value, path);
  }

  /** The settings without the token. */
  @Override
  public String toString() {
    return "UcSettings[host="
        + (host == null ? "(default chain)" : host)
        + ", token="
        + (token == null ? "none" : "(hidden)")
        + ", files="
        + files
        + ", ddl="
        + ddl
        + ", sparkRoot="
        + sparkRoot
        + ", mountRoot="
        + mountRoot
        + ", threads="
        + threads
        + ", retryTimeout="
        + retryTimeout
        + "]";
  }
}
