package io.spill.internal.domain;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers (a volume, a root folder) spill may create and drop. Ownership belongs to spill,
 * not to a run: the run that creates a container writes {@code _spill/owner.json}, and any PROD run
 * that finds nothing but that marker left at teardown drops the container, so a container shared by
 * many PROD runs goes with the last of them.
 */
public final class Containers {
  private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

  private Containers() {}

  /**
   * Creates the container if it is missing.
   *
   * @return true if this call created it (and wrote the ownership marker)
   */
  public static boolean open(SpillStore store, String runId) {
    if (store instanceof SupportsContainerLifecycle lifecycle
        && lifecycle.createContainerIfMissing()) {
      store.write(
          SpillLayout.OWNER_MARKER,
          SpillJson.write(
              new TreeMap<>(
                  Map.of(
                      "createdBy", "spill", "runId", runId, "createdAt", Instant.now().toString())),
              "the ownership marker"));
      return true;
    }
    return false;
  }

  /**
   * Drops the container if spill created it and nothing but spill's empty namespace is left. Never
   * deletes a thing that is not spill's: if anything else is there, or arrives meanwhile, the
   * container and its ownership marker stay.
   */
  public static void dropIfOnlySpillIsLeft(SpillStore store) {
    if (!(store instanceof SupportsContainerLifecycle lifecycle)) {
      return;
    }
    if (!store.exists(SpillLayout.OWNER_MARKER)) {
      LOG.info(
          "spill: keeping {}: spill did not create it (no {})",
          store.describe(),
          SpillLayout.OWNER_MARKER);
      return;
    }
    store.deleteEmptyDirectory(SpillLayout.CHECKPOINTS);
    store.deleteEmptyDirectory(SpillLayout.RUNS);
    List<String> root = store.list("").stream().map(StoreEntry::name).toList();
    List<String> namespace = store.list(SpillLayout.ROOT).stream().map(StoreEntry::name).toList();
    if (!root.equals(List.of(SpillLayout.ROOT))
        || !namespace.equals(
            List.of(SpillLayout.OWNER_MARKER.substring(SpillLayout.ROOT.length() + 1)))) {
      LOG.info(
          "spill: keeping {} although spill created it: it still holds {} (and {} in {})",
          store.describe(),
          root,
          namespace,
          SpillLayout.ROOT);
      return;
    }
    byte[] owner;
    try {
      owner = store.read(SpillLayout.OWNER_MARKER);
    } catch (SpillException e) {
      if (!store.exists(SpillLayout.OWNER_MARKER)) {
        return; // another run tearing down at the same moment is dropping it
      }
      throw e;
    }
    if (!store.deleteFile(SpillLayout.OWNER_MARKER)) {
      return; // likewise: the other run took the marker first
    }
    if (!store.deleteEmptyDirectory(SpillLayout.ROOT) || !lifecycle.dropContainerIfEmpty()) {
      store.write(SpillLayout.OWNER_MARKER, owner); // something arrived meanwhile: keep it all
      LOG.info("spill: keeping {}: something arrived in it during teardown", store.describe());
      return;
    }
    LOG.info(
        "spill: dropped {}, which spill created and which holds nothing else", store.describe());
  }
}
