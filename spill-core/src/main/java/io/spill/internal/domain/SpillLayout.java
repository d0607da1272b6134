package io.spill.internal.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where spill puts things inside a store's root. spill reads and writes only below {@code _spill/},
 * and never deletes anything outside it:
 *
 * <pre>
 * _spill/owner.json                              only if spill created the container
 * _spill/runs/&lt;run-id&gt;/_run.json                 a run's lease (heartbeat, pins)
 * _spill/runs/&lt;run-id&gt;/frames/&lt;id&gt;/             spilled Parquet of one transfer
 * _spill/runs/&lt;run-id&gt;/engine/                 the engine's temporary files (local store)
 * _spill/runs/&lt;run-id&gt;/staged/&lt;id&gt;/             copies of an object store's files for the
 *                                                engine (local store)
 * _spill/checkpoints/&lt;name&gt;/_manifest.json       the commit point of a checkpoint
 * _spill/checkpoints/&lt;name&gt;/data-&lt;run-id&gt;-&lt;id&gt;/  the files a manifest names
 * _spill/checkpoints/&lt;name&gt;/.pending-data-...    a save under way (keeps the folder)
 * </pre>
 */
public final class SpillLayout {
  public static final String ROOT = "_spill";
  public static final String OWNER_MARKER = ROOT + "/owner.json";

  /**
   * Written by a run about to drop the container spill created; a run that starts meanwhile backs
   * off until the container is gone.
   */
  public static final String DROPPING_MARKER = ROOT + "/dropping.json";

  public static final String RUNS = ROOT + "/runs";
  public static final String CHECKPOINTS = ROOT + "/checkpoints";
  public static final String MANIFEST = "_manifest.json";
  public static final String RUN_MARKER = "_run.json";
  public static final String DATA_PREFIX = "data-";

  /** Run ids sort by start time: 20261125T182254123Z-1a2b3c4d. */
  public static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{8}");

  /** A checkpoint data directory: data-&lt;run-id&gt;-&lt;16 hex digits&gt;. */
  private static final Pattern DATA_DIR =
      Pattern.compile("data-(" + RUN_ID.pattern() + ")-[0-9a-f]{16}");

  /** What {@code SpillStore.write} leaves when it is killed between write and rename. */
  private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.tmp-[0-9a-f-]{36}");

  private SpillLayout() {}

  public static String runDir(String runId) {
    return RUNS + "/" + runId;
  }

  public static String runMarker(String runId) {
    return runDir(runId) + "/" + RUN_MARKER;
  }

  public static String scratchDir(String runId) {
    return runDir(runId) + "/engine";
  }

  public static String stagingDir(String runId, String id) {
    return runDir(runId) + "/staged/" + id;
  }

  public static String frameDir(String runId, String id) {
    return runDir(runId) + "/frames/" + id;
  }

  public static String checkpointDir(String name) {
    return CHECKPOINTS + "/" + name;
  }

  public static String manifest(String name) {
    return checkpointDir(name) + "/" + MANIFEST;
  }

  /** The prefix of the marker of a save under way, followed by its data directory's name. */
  public static final String PENDING_PREFIX = ".pending-";

  /** The marker that keeps a checkpoint folder in place while a save writes into it. */
  public static String pendingMarker(String name, String dataDirName) {
    return checkpointDir(name) + "/" + PENDING_PREFIX + dataDirName;
  }

  /** The data directory name for a checkpoint version this run writes. */
  public static String dataDirName(String runId, String id) {
    return DATA_PREFIX + runId + "-" + id;
  }

  /** The run that wrote a data directory, if the name is one spill makes. */
  public static Optional<String> writerOf(String dataDirName) {
    Matcher m = DATA_DIR.matcher(dataDirName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The run that wrote a file below {@code _spill/}, told by its path: {@code
   * _spill/runs/<run-id>/...} or {@code _spill/checkpoints/<name>/data-<run-id>-<id>/...}.
   */
  public static Optional<String> writerOfPath(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length > 3 && path.startsWith(RUNS + "/") && RUN_ID.matcher(parts[2]).matches()) {
      return Optional.of(parts[2]);
    }
    if (parts.length > 4 && path.startsWith(CHECKPOINTS + "/")) {
      return writerOf(parts[3]);
    }
    return Optional.empty();
  }

  /** Whether a name is a temporary file a killed {@code SpillStore.write} left. */
  public static boolean isTempFile(String name) {
    return TEMP_FILE.matcher(name).matches();
  }

  /** Joins a directory and a relative path. */
  public static String join(String dir, String child) {
    return dir.isEmpty() ? child : dir + "/" + child;
  }
}
