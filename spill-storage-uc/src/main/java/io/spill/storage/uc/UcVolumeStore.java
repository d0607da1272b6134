package io.spill.storage.uc;

import static java.util.Objects.requireNonNull;

import com.databricks.sdk.WorkspaceClient;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SqlRunner;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import io.spill.spi.SupportsLocalStaging;
import io.spill.spi.helpers.BoundedParallel;
import io.spill.spi.helpers.StorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpillStore} in a Unity Catalog volume, or a folder of one.
 *
 * <p>Spark always reads and writes the volume under its own {@code /Volumes/...} paths ({@code
 * uc.spark-root}). The driver reaches the same files one of two ways ({@code uc.files}): the {@code
 * /Volumes} mount, where a probe shows the driver's JVM can use it (Databricks documents that JVM
 * file APIs cannot reach volumes on every kind of cluster), or the Files API through the Databricks
 * SDK, with parallel downloads to and uploads from the driver's disk for the engine. {@code auto}
 * (the default) probes the mount on first use and falls back to the API.
 *
 * <p>The volume is a container: a missing one is created ({@code CREATE VOLUME} through the
 * session, or the volumes API), and dropped at a PROD teardown only if spill created it and nothing
 * else is in it. The Files API has no conditional write, so a checkpoint's manifest is committed by
 * a plain write: of two runs saving one checkpoint at once, the last wins.
 */
public final class UcVolumeStore
    implements SpillStore, SupportsContainerLifecycle, SupportsLocalStaging {
  private static final Logger LOG = LoggerFactory.getLogger(UcVolumeStore.class);

  /** How the comment of a volume spill creates begins; a random id of the create follows. */
  static final String CREATED_MARK = "created by spill ";

  private final UcVolume volume;
  private final UcSettings settings;
  private final Supplier<Workspace> workspace;
  private final boolean workspaceGiven;
  private final VolumeDdl ddl;
  private final Retrier retrier;
  private final BoundedParallel parallel;
  private VolumeFiles files;
  private ApiFiles api;

  private UcVolumeStore(
      UcVolume volume,
      UcSettings settings,
      Supplier<Workspace> workspace,
      boolean workspaceGiven,
      SqlRunner sql) {
    this.volume = volume;
    this.settings = settings;
    this.workspaceGiven = workspaceGiven;
    Workspace[] made = new Workspace[1];
    this.workspace =
        () -> {
          synchronized (made) {
            if (made[0] == null) {
              made[0] = workspace.get();
            }
            return made[0];
          }
        };
    this.retrier = new Retrier(settings.retryTimeout(), m -> this.workspace.get().redact(m));
    this.ddl =
        switch (settings.ddl()) {
          case SQL -> VolumeDdl.sql(sql);
          case API -> VolumeDdl.api(this.workspace, retrier);
          case NONE -> null;
        };
    this.parallel = new BoundedParallel("spill-uc", settings.threads());
  }

  /**
   * Opens a store at {@code location}, reaching the workspace with {@code uc.host} and {@code
   * uc.token} or the Databricks SDK's default auth chain. No I/O until first use.
   *
   * @param location {@code /Volumes/c/s/v[/folder]} or {@code dbfs:/Volumes/...}
   * @param spark the session that runs {@code CREATE VOLUME}; may be null unless {@code uc.ddl=sql}
   * @param settings the settings
   * @return an open store, which the caller closes
   * @throws SpillConfigurationException if the location or a setting is unusable
   */
  public static UcVolumeStore open(String location, UcSettings settings, SparkSession spark) {
    return open(location, settings, runner(spark));
  }

  /**
   * As {@link #open(String, UcSettings, SparkSession)}, with the statements of {@code uc.ddl=sql}
   * run by {@code sql} (null unless {@code uc.ddl=sql}).
   *
   * @param location the volume, {@code /Volumes/c/s/v[/prefix]}
   * @param settings the settings
   * @param sql runs the volume DDL; null where {@code uc.ddl} is not {@code sql}
   * @return an open store, which the caller closes
   */
  public static UcVolumeStore open(String location, UcSettings settings, SqlRunner sql) {
    requireNonNull(settings, "settings is null");
    return new UcVolumeStore(
        UcVolume.parse(location),
        settings,
        () -> Workspace.from(settings),
        settings.host() != null,
        sql);
  }

  private static SqlRunner runner(SparkSession spark) {
    return spark == null ? null : statement -> spark.sql(statement).collectAsList();
  }

  /**
   * Opens a store at {@code location} with a {@link WorkspaceClient} the caller made; its
   * configuration (host, auth, timeouts) is used as it is, {@code uc.host} and {@code uc.token} are
   * not.
   *
   * @param location the volume, {@code /Volumes/c/s/v[/prefix]}
   * @param settings the settings; {@code uc.host} and {@code uc.token} must be unset
   * @param client the workspace client to use, as it is
   * @param spark the session that runs the volume DDL, or null where {@code uc.ddl} is not {@code
   *     sql}
   * @return an open store, which the caller closes
   */
  public static UcVolumeStore open(
      String location, UcSettings settings, WorkspaceClient client, SparkSession spark) {
    requireNonNull(settings, "settings is null");
    requireNonNull(client, "client is null");
    if (settings.host() != null || settings.hasToken()) {
      throw new SpillConfigurationException(
          "uc.host and uc.token are for a client spill makes;"
              + " with your own WorkspaceClient, leave them out");
    }
    return new UcVolumeStore(
        UcVolume.parse(location), settings, () -> Workspace.of(client), true, runner(spark));
  }

  /**
   * The volume and folder this store is rooted at.
   *
   * @return the volume
   */
  public UcVolume volume() {
    return volume;
  }

  /**
   * The settings, token hidden in {@link UcSettings#toString()}.
   *
   * @return the settings
   */
  public UcSettings settings() {
    return settings;
  }

  /**
   * How the driver reaches the files: {@code MOUNT} or {@code API}, after the probe that {@code
   * auto} makes on first use.
   *
   * @return the way chosen
   */
  public UcSettings.FileAccess fileAccess() {
    return files() instanceof MountFiles ? UcSettings.FileAccess.MOUNT : UcSettings.FileAccess.API;
  }

  // ---------------------------------------------------------------------------------------------
  // SpillStore

  @Override
  public String sparkUri(String path) {
    return volume.path(settings.sparkRoot(), check(path, true));
  }

  @Override
  public String engineUri(String path) {
    return files() instanceof MountFiles mount
        ? mount.localPath(check(path, true))
        : sparkUri(path);
  }

  @Override
  public List<StoreEntry> list(String directory) {
    return files().list(check(directory, true));
  }

  @Override
  public byte[] read(String file) {
    return files().read(check(file, false));
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    return files().read(check(file, false), offset, length);
  }

  @Override
  public void write(String file, byte[] content) {
    files().write(check(file, false), content);
  }

  @Override
  public boolean deleteFile(String file) {
    return files().deleteFile(check(file, false));
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    return files().deleteEmptyDirectory(check(directory, false));
  }

  @Override
  public boolean exists(String path) {
    return files().exists(check(path, false));
  }

  @Override
  public String describe() {
    return volume.toString();
  }

  @Override
  public void close() {
    parallel.close();
  }

  @Override
  public String toString() {
    return "UcVolumeStore[" + volume + ", " + settings + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // SupportsContainerLifecycle

  @Override
  public boolean createContainerIfMissing() {
    if (volumeExists()) {
      return false;
    }
    if (ddl == null) {
      throw new SpillConfigurationException(
          "the volume "
              + volume.fullName()
              + " does not exist"
              + " and uc.ddl=none: create it ("
              + volume.createStatement()
              + ") or set uc.ddl to sql"
              + " or api");
    }
    // A mark of this call in the volume's comment: if the create fails and the volume exists, the
    // comment tells whether a lost answer hid this call's own success (a retry then meets the
    // volume its first attempt made) or another process created it.
    String mark = CREATED_MARK + java.util.UUID.randomUUID();
    try {
      ddl.create(volume, mark);
    } catch (RuntimeException e) {
      if (volumeExists()) {
        if (mark.equals(ddl.comment(volume).orElse(null))) {
          LOG.info(
              "spill: created the volume {} (the answer was lost; its comment shows it)",
              volume.fullName());
          return true;
        }
        return false; // another process created it meanwhile
      }
      throw e;
    }
    LOG.info("spill: created the volume {}", volume.fullName());
    return true;
  }

  /**
   * Drops the volume if, from the volume's own folder down, each folder holds only the next one
   * (the store's root, {@code _spill/}) and the last only {@code files}: {@code DROP VOLUME} takes
   * the markers with it, so they stay until the drop. Unity Catalog has no conditional drop: a file
   * that lands between this listing and the drop goes with the volume. spill's own runs keep out of
   * that window (they look for the dropping marker once their lease is written); other writers
   * cannot be kept out, which README's lifecycle section says.
   */
  @Override
  public boolean dropContainerHolding(List<String> files) {
    if (ddl == null) {
      LOG.info("spill: keeping the volume {}: uc.ddl=none", volume.fullName());
      return false;
    }
    VolumeFiles atVolume = filesAtVolume();
    List<String> chain = new java.util.ArrayList<>();
    if (!volume.prefix().isEmpty()) {
      chain.addAll(Arrays.asList(volume.prefix().split("/")));
    }
    String folder =
        files.get(0).contains("/") ? files.get(0).substring(0, files.get(0).lastIndexOf('/')) : "";
    if (!folder.isEmpty()) {
      chain.addAll(Arrays.asList(folder.split("/")));
    }
    String dir = "";
    for (String next : chain) {
      if (!names(atVolume.list(dir)).equals(List.of(next))) {
        return false;
      }
      dir = dir.isEmpty() ? next : dir + "/" + next;
    }
    List<String> expected =
        files.stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).sorted().toList();
    if (!names(atVolume.list(dir)).equals(expected)) {
      return false;
    }
    ddl.drop(volume);
    LOG.info("spill: dropped the volume {}", volume.fullName());
    return true;
  }

  private static List<String> names(List<StoreEntry> entries) {
    return entries.stream().map(StoreEntry::name).sorted().toList();
  }

  private VolumeFiles filesAtVolume() {
    return files() instanceof MountFiles
        ? new MountFiles(Path.of(volume.volumePath(settings.mountRoot().toString())))
        : new ApiFiles(
            new UcVolume(volume.catalog(), volume.schema(), volume.volume(), ""),
            workspace.get(),
            retrier);
  }

  @Override
  public boolean dropContainerIfEmpty() {
    if (ddl == null) {
      LOG.info("spill: keeping the volume {}: uc.ddl=none", volume.fullName());
      return false;
    }
    VolumeFiles atVolume = filesAtVolume();
    if (!volume.prefix().isEmpty()) { // the folders spill made for its root, innermost first
      List<String> segments = Arrays.asList(volume.prefix().split("/"));
      for (int i = segments.size(); i > 0; i--) {
        if (!atVolume.deleteEmptyDirectory(String.join("/", segments.subList(0, i)))) {
          return false;
        }
      }
    }
    if (!atVolume.list("").isEmpty()) {
      return false;
    }
    ddl.drop(volume);
    LOG.info("spill: dropped the volume {}", volume.fullName());
    return true;
  }

  private boolean volumeExists() {
    if (settings.files() != UcSettings.FileAccess.API
        && Files.isDirectory(Path.of(volume.volumePath(settings.mountRoot().toString())))) {
      return true;
    }
    return settings.files() != UcSettings.FileAccess.MOUNT && api().volumeExists();
  }

  // ---------------------------------------------------------------------------------------------
  // SupportsLocalStaging

  @Override
  public boolean stagesFiles() {
    return !(files() instanceof MountFiles);
  }

  @Override
  public void download(Map<String, Path> downloads) {
    downloads.keySet().forEach(f -> check(f, false));
    VolumeFiles f = files();
    parallel.forEach(
        "download from " + volume, downloads.entrySet(), e -> f.download(e.getKey(), e.getValue()));
  }

  @Override
  public void upload(Map<Path, String> uploads) {
    uploads.values().forEach(f -> check(f, false));
    VolumeFiles f = files();
    parallel.forEach(
        "upload to " + volume, uploads.entrySet(), e -> f.upload(e.getKey(), e.getValue()));
  }

  // ---------------------------------------------------------------------------------------------

  private synchronized ApiFiles api() {
    if (api == null) {
      api = new ApiFiles(volume, workspace.get(), retrier);
    }
    return api;
  }

  /** The way to the files, chosen on first use (after the volume exists). */
  private synchronized VolumeFiles files() {
    if (files == null) {
      files =
          switch (settings.files()) {
            case API -> api();
            case MOUNT -> {
              String problem = probeMount();
              if (problem != null) {
                throw new SpillConfigurationException(
                    "uc.files=mount, but this JVM cannot use the"
                        + " volume's mount: "
                        + problem
                        + ". Databricks documents that JVM file APIs"
                        + " cannot reach /Volumes on some clusters; use uc.files=api (or auto)");
              }
              yield new MountFiles(mountRoot());
            }
            case AUTO -> {
              String problem = probeMount();
              if (problem == null) {
                LOG.info("spill: the driver reaches {} through the mount {}", volume, mountRoot());
                yield new MountFiles(mountRoot());
              }
              LOG.info("spill: the driver reaches {} through the Files API ({})", volume, problem);
              yield api();
            }
          };
    }
    return files;
  }

  private Path mountRoot() {
    return Path.of(volume.path(settings.mountRoot().toString(), ""));
  }

  /**
   * Writes, reads back and removes a small file through the mount; where the workspace was
   * configured explicitly, also checks that the Files API sees it, so that a local folder that
   * merely looks like the mount is not taken for it.
   *
   * @return null if the mount works, else what failed
   */
  private String probeMount() {
    Path volumeDir = Path.of(volume.volumePath(settings.mountRoot().toString()));
    if (!Files.isDirectory(volumeDir)) {
      return volumeDir + " is not a directory here";
    }
    String name = ".probe.tmp-" + UUID.randomUUID();
    String relative = "_spill/" + name;
    Path probe = mountRoot().resolve("_spill").resolve(name);
    byte[] content = ("spill mount probe " + name).getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(probe.getParent());
      Files.write(probe, content);
      if (!Arrays.equals(Files.readAllBytes(probe), content)) {
        return "a file written to " + probe + " read back differently";
      }
      if (settings.files() == UcSettings.FileAccess.AUTO
          && workspaceGiven
          && !api().exists(relative)) {
        return volumeDir
            + " is a folder of this machine, not the volume: the Files API does"
            + " not see a file written there";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "cannot write and read " + probe + " (" + e + ")";
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        LOG.warn("spill: could not remove the mount probe {}: {}", probe, e.getMessage());
      }
    }
  }

  /** Checks a store path: relative, no empty, '.' or '..' segment; "" only where allowed. */
  private static String check(String path, boolean rootAllowed) {
    return StorePaths.requireRelative(path, rootAllowed);
  }
}
