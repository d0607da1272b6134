package io.spill;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spill.spi.ColumnSchema;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.util.List;

/**
 * The commit point of a checkpoint, written last and atomically as {@code _manifest.json}.
 * Readers use exactly the files it names.
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CheckpointManifest(
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
    String createdAt) {

  static final int FORMAT_VERSION = 1;
  /** spill's JSON mapper (manifests and markers); thread-safe once configured. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  CheckpointManifest {
    requireNonNull(name, "name is null");
    requireNonNull(writer, "writer is null");
    requireNonNull(dataDir, "dataDir is null");
    files = List.copyOf(requireNonNull(files, "files is null"));
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new SpillException("cannot serialize the manifest of checkpoint '" + name + "'", e);
    }
  }

  static CheckpointManifest fromJson(String where, byte[] json) {
    CheckpointManifest m;
    try {
      m = JSON.readValue(json, CheckpointManifest.class);
    } catch (IOException e) {
      throw new SpillException("the checkpoint manifest " + where + " is not valid JSON ("
          + e.getMessage() + "); save the checkpoint again to replace it", e);
    }
    if (m.formatVersion() > FORMAT_VERSION) {
      throw new SpillException("the checkpoint manifest " + where + " has format version "
          + m.formatVersion() + ", newer than this spill reads (" + FORMAT_VERSION
          + "); upgrade spill");
    }
    return m;
  }
}
