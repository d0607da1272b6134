package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.spi.CheckpointConflictException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsConditionalWrite;
import io.spill.spi.VersionedContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint commits on a store with compare-and-swap: a save commits only over the version it
 * started from, and a PROD restore only over the version it read. (The S3 store's own tests show
 * the same against a real S3 server.)
 */
class ConditionalCommitTest {
  private final CasStore store = new CasStore();
  private final MutableClock clock = new MutableClock();

  /** An in-memory store with versions: a counter per file, bumped on every write. */
  static final class CasStore implements SpillStore, SupportsConditionalWrite {
    final InMemoryStore files = new InMemoryStore();
    private final Map<String, Integer> versions = new HashMap<>();

    /** Runs once before the next conditional write, to let "another run" act in between. */
    Runnable beforeNextConditionalWrite;

    @Override
    public String sparkUri(String path) {
      return files.sparkUri(path);
    }

    @Override
    public List<StoreEntry> list(String directory) {
      return files.list(directory);
    }

    @Override
    public byte[] read(String file) {
      return files.read(file);
    }

    @Override
    public synchronized void write(String file, byte[] content) {
      files.write(file, content);
      versions.merge(file, 1, Integer::sum);
    }

    @Override
    public synchronized boolean deleteFile(String file) {
      versions.remove(file);
      return files.deleteFile(file);
    }

    @Override
    public boolean deleteEmptyDirectory(String directory) {
      return files.deleteEmptyDirectory(directory);
    }

    @Override
    public synchronized Optional<VersionedContent> readVersioned(String file) {
      return files.exists(file)
          ? Optional.of(new VersionedContent(files.read(file), String.valueOf(versions.get(file))))
          : Optional.empty();
    }

    @Override
    public boolean writeIfVersion(String file, byte[] content, String expectedVersion) {
      Runnable hook = beforeNextConditionalWrite;
      beforeNextConditionalWrite = null;
      if (hook != null) {
        hook.run();
      }
      synchronized (this) {
        String now = files.exists(file) ? String.valueOf(versions.get(file)) : null;
        if (!java.util.Objects.equals(now, expectedVersion)) {
          return false;
        }
        write(file, content);
        return true;
      }
    }
  }

  private SpillRun start(Mode mode) {
    SpillRun run = new SpillRun(mode, List.of(store), clock);
    run.start();
    return run;
  }

  /** Writes the data of a save; the caller commits it. */
  private static CheckpointManifest written(
      SpillRun run, CheckpointCatalog catalog, String name, String payload, SpillStore store) {
    String dir = catalog.newDataDir(name);
    store.write(dir + "/part-0.parquet", payload.getBytes(StandardCharsets.UTF_8));
    String data = dir.substring(dir.lastIndexOf('/') + 1);
    return new CheckpointManifest(
        CheckpointManifest.FORMAT_VERSION,
        name,
        "test",
        data,
        List.of(data + "/part-0.parquet"),
        1,
        payload.length(),
        List.of(),
        null,
        run.id(),
        "2026-01-01T00:00:00Z",
        null,
        null);
  }

  private String load(String name) {
    SpillRun reader = new SpillRun(Mode.DEV, List.of(store), clock);
    CheckpointManifest m = new CheckpointCatalog(store, Storage.VOLUME, reader).open(name);
    String text =
        new String(
            store.read(SpillLayout.checkpointDir(name) + "/" + m.files().get(0)),
            StandardCharsets.UTF_8);
    store.deleteFile(SpillLayout.runMarker(reader.id()));
    return text;
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
