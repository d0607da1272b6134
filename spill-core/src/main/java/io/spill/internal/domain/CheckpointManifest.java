package io.spill.internal.domain;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spill.Mode;
import io.spill.spi.ColumnSchema;
import io.spill.spi.SpillException;
import io.spill.spi.helpers.StorePaths;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The commit point of a checkpoint, written last and atomically as {@code _manifest.json}. Readers
 * use exactly the files it names.
 *
 * @param formatVersion the manifest format, {@value #FORMAT_VERSION}
 * @param name the checkpoint name
 * @param writer who wrote the data: {@code spark} or an engine name
 * @param dataDir the data directory, relative to the checkpoint directory
 * @param files the Parquet files, relative to the checkpoint directory
 * @param rows the number of rows
 * @param bytes the total size of the files
 * @param columns the columns in the writer's types
 * @param sparkSchema Spark's JSON schema when Spark wrote the data, else null
 * @param runId the spiller run that committed it
 * @param createdAt when it was committed (ISO-8601)
 * @param writerMode the mode of the run that committed it ({@code DEV} or {@code PROD})
 * @param restores for a PROD run's version: the manifest that was there before that run first
 *     committed this checkpoint, Base64-encoded ("" if there was none), which that run puts back at
 *     teardown, and which a later PROD run puts back in its stead if that run ended first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointManifest(
    int formatVersion,
    String name,
    String writer,
    String dataDir,
    List<String> files,
    long rows,
    long bytes,
    List<ColumnSchema> columns,
    String sparkSchema,
    String runId,
    String createdAt,
    String writerMode,
    String restores) {

  public static final int FORMAT_VERSION = 1;

  public CheckpointManifest {
    requireNonNull(name, "name is null");
    requireNonNull(writer, "writer is null");
    requireNonNull(dataDir, "dataDir is null");
    files = List.copyOf(requireNonNull(files, "files is null"));
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }

  /** This manifest as committed by a run in {@code mode} that replaced {@code original}. */
  public CheckpointManifest committedBy(Mode mode, byte[] original) {
    String kept =
        mode != Mode.PROD
            ? null
            : original == null ? "" : Base64.getEncoder().encodeToString(original);
    return new CheckpointManifest(
        formatVersion,
        name,
        writer,
        dataDir,
        files,
        rows,
        bytes,
        columns,
        sparkSchema,
        runId,
        createdAt,
        mode.name(),
        kept);
  }

  /**
   * For a PROD run's version: the manifest it replaced, as bytes; empty if there was none; null if
   * this version is not a PROD run's.
   */
  public Optional<byte[]> restoredVersion() {
    return restores == null || restores.isEmpty()
        ? Optional.empty()
        : Optional.of(Base64.getDecoder().decode(restores));
  }

  public byte[] toJson() {
    return SpillJson.write(this, "the manifest of checkpoint '" + name + "'");
  }

  public static CheckpointManifest fromJson(String where, byte[] json) {
    CheckpointManifest m;
    try {
      m = SpillJson.read(json, CheckpointManifest.class);
    } catch (IOException e) {
      throw new SpillException(
          "the checkpoint manifest "
              + where
              + " is not valid JSON ("
              + e.getMessage()
              + "); save the checkpoint again to replace it",
          e);
    }
    if (m.formatVersion() > FORMAT_VERSION) {
      throw new SpillException(
          "the checkpoint manifest "
              + where
              + " has format version "
              + m.formatVersion()
              + ", newer than this spill reads ("
              + FORMAT_VERSION
              + "); upgrade spill");
    }
    String invalid = m.invalidPaths();
    if (invalid != null) {
      throw new SpillException(
          "the checkpoint manifest "
              + where
              + " is refused as unreadable: "
              + invalid
              + "; spill reads and deletes only inside a checkpoint's own data folder. Save the"
              + " checkpoint again to replace the manifest");
    }
    return m;
  }

  /**
   * What is wrong with the paths this manifest names, or null: its data folder must be one spill
   * makes ({@code data-<run-id>-<id>}) and every file must lie inside it, so that a corrupt or
   * crafted manifest can make no read or delete reach outside the checkpoint.
   */
  private String invalidPaths() {
    if (SpillLayout.writerOf(dataDir).isEmpty()) {
      return "its data folder '" + dataDir + "' is not one spill makes (data-<run-id>-<id>)";
    }
    for (String file : files) {
      String inside = file.startsWith(dataDir + "/") ? file.substring(dataDir.length() + 1) : null;
      try {
        if (inside == null || inside.isEmpty()) {
          throw new IllegalArgumentException("outside the data folder");
        }
        StorePaths.requireRelative(inside, false);
      } catch (IllegalArgumentException e) {
        return "it names the file '"
            + file
            + "', which is not inside its data folder '"
            + dataDir
            + "'";
      }
    }
    return null;
  }
}
