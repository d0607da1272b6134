package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.spi.CheckpointConflictException;
import io.spill.spi.SpillStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint commits on a store with compare-and-swap: a save commits only over the version it
 * started from, and a PROD restore only over the version it read. (The S3 store's own tests show
 * the same against a real S3 server.)
 */
class ConditionalCommitTest {
  private final FaultyStore.Cas store = FaultyStore.withCas();
  private final MutableClock clock = new MutableClock();

  private SpillRun start(Mode mode) {
    SpillRun run = new SpillRun(mode, List.of(store), clock);
    run.start();
    return run;
  }

  private static CheckpointManifest written(
      SpillRun run, CheckpointCatalog catalog, String name, String payload, SpillStore store) {
    return CatalogFixture.written(run, catalog, store, name, payload);
  }

  private String load(String name) {
    return CatalogFixture.load(store, clock, name);
  }

  @Test
  void aSaveCommitsOnlyOverTheVersionItStartedFrom() {
    SpillRun a = start(Mode.DEV);
    SpillRun b = start(Mode.DEV);
    CheckpointCatalog ca = new CheckpointCatalog(store, Storage.VOLUME, a);
    CheckpointCatalog cb = new CheckpointCatalog(store, Storage.VOLUME, b);
    // both start a save of a checkpoint that does not exist yet
    CheckpointManifest fromA = written(a, ca, "daily", "A", store);
    CheckpointManifest fromB = written(b, cb, "daily", "B", store);
    cb.commit(fromB);
    assertThatThrownBy(() -> ca.commit(fromA))
        .isInstanceOf(CheckpointConflictException.class)
        .hasMessageContaining("'daily'")
        .hasMessageContaining("Save again");
    assertThat(load("daily")).isEqualTo("B");
    // a save that starts after B's commit replaces it
    ca.commit(written(a, ca, "daily", "A2", store));
    assertThat(load("daily")).isEqualTo("A2");
    // and one that started before A2's commit does not
    CheckpointManifest stale = written(b, cb, "daily", "B2", store);
    ca.commit(written(a, ca, "daily", "A3", store));
    assertThatThrownBy(() -> cb.commit(stale)).isInstanceOf(CheckpointConflictException.class);
    assertThat(load("daily")).isEqualTo("A3");
    // nor one that started before the checkpoint was deleted
    CheckpointManifest beforeDelete = written(b, cb, "daily", "B3", store);
    assertThat(ca.delete("daily")).isTrue();
    assertThatThrownBy(() -> cb.commit(beforeDelete))
        .isInstanceOf(CheckpointConflictException.class)
        .hasMessageContaining("or deleted");
    assertThat(ca.list()).isEmpty();
  }

  @Test
  void aProdRestoreLeavesAVersionCommittedWhileItRestored() {
    SpillRun dev = start(Mode.DEV);
    CheckpointCatalog cd = new CheckpointCatalog(store, Storage.VOLUME, dev);
    cd.commit(written(dev, cd, "daily", "before", store));
    SpillRun prod = start(Mode.PROD);
    CheckpointCatalog cp = new CheckpointCatalog(store, Storage.VOLUME, prod);
    cp.commit(written(prod, cp, "daily", "prod", store));
    assertThat(load("daily")).isEqualTo("prod");
    // another run commits between the restore's read and its write
    CheckpointManifest late = written(dev, cd, "daily", "late", store);
    store.beforeNextConditionalWrite =
        () -> {
          CheckpointCatalog other = new CheckpointCatalog(store, Storage.VOLUME, dev);
          store.write(SpillLayout.manifest("daily"), late.committedBy(Mode.DEV, null).toJson());
          store.deleteFile(SpillLayout.pendingMarker("daily", late.dataDir()));
          assertThat(other.list()).contains("daily");
        };
    List<RuntimeException> failures = new ArrayList<>();
    cp.restoreOriginals(failures);
    assertThat(failures).isEmpty();
    assertThat(load("daily")).as("the late commit stands").isEqualTo("late");
  }
}
