package io.spill;

import java.util.regex.Pattern;

/**
 * Where spill puts things inside a store's root:
 *
 * <pre>
 * .spill-owner.json                  written only if spill created the container
 * _spill/&lt;run-id&gt;/_run.json           one namespace per spiller run
 * _spill/&lt;run-id&gt;/frames/&lt;id&gt;/      spilled Parquet of one transfer
 * checkpoints/&lt;name&gt;/_manifest.json  the commit point of a checkpoint
 * checkpoints/&lt;name&gt;/data-&lt;id&gt;/      the files the manifest names
 * </pre>
 */
final class SpillLayout {
  static final String OWNER_MARKER = ".spill-owner.json";
  static final String RUNS = "_spill";
  static final String CHECKPOINTS = "checkpoints";
  static final String MANIFEST = "_manifest.json";
  static final String RUN_MARKER = "_run.json";
  static final String DATA_PREFIX = "data-";
  /** Run ids sort by start time: 20261125T182254123Z-1a2b3c4d. */
  static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{8}");

  private SpillLayout() {}

  static String runDir(String runId) {
    return RUNS + "/" + runId;
  }

  static String runMarker(String runId) {
    return runDir(runId) + "/" + RUN_MARKER;
  }

  static String frameDir(String runId, String id) {
    return runDir(runId) + "/frames/" + id;
  }

  static String checkpointDir(String name) {
    return CHECKPOINTS + "/" + name;
  }

  static String manifest(String name) {
    return checkpointDir(name) + "/" + MANIFEST;
  }

  static String dataDir(String name, String dataId) {
    return checkpointDir(name) + "/" + DATA_PREFIX + dataId;
  }

  /** Joins a directory and a relative path. */
  static String join(String dir, String child) {
    return dir.isEmpty() ? child : dir + "/" + child;
  }
}
