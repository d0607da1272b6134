package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.spi.SpillStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs and catalogs over one in-memory store, with saves that write a file and commit it. */
class CatalogFixture {
  final InMemoryStore store = new InMemoryStore();
  final MutableClock clock = new MutableClock();

  SpillRun startRun(Mode mode) {
    SpillRun run = new SpillRun(mode, List.of(store), clock);
    run.start();
    return run;
  }

  CheckpointCatalog catalog(SpillRun run) {
    return new CheckpointCatalog(store, Storage.VOLUME, run);
  }

  /** Saves {@code payload} as checkpoint {@code name}; returns the data directory's name. */
  String save(SpillRun run, CheckpointCatalog catalog, String name, String payload) {
    CheckpointManifest m = written(run, catalog, store, name, payload);
    catalog.commit(m);
    return m.dataDir();
  }

  /** Writes the one file of a save of {@code payload}; the caller commits the manifest. */
  static CheckpointManifest written(
      SpillRun run, CheckpointCatalog catalog, SpillStore store, String name, String payload) {
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

  /** What checkpoint {@code name} reads now, through a fresh run. */
  String load(String name) {
    return load(store, clock, name);
  }

  /** What checkpoint {@code name} of {@code store} reads now, through a fresh run. */
  static String load(SpillStore store, Clock clock, String name) {
    SpillRun reader = new SpillRun(Mode.DEV, List.of(store), clock);
    CheckpointManifest m = new CheckpointCatalog(store, Storage.VOLUME, reader).open(name);
    String text =
        new String(
            store.read(SpillLayout.checkpointDir(name) + "/" + m.files().get(0)),
            StandardCharsets.UTF_8);
    store.deleteFile(SpillLayout.runMarker(reader.id())); // the reader never started a lease
    return text;
  }

  void teardown(SpillRun run, CheckpointCatalog catalog) {
    List<RuntimeException> failures = new ArrayList<>();
    if (run.mode() == Mode.PROD) {
      catalog.restoreOriginals(failures);
    }
    run.beginEnding(failures);
    catalog.removeUnnamedData(failures);
    run.end(failures);
    assertThat(failures).isEmpty();
  }

  /** Plants files spill did not write; returns them with their content. */
  Map<String, byte[]> plantForeignFiles() {
    Map<String, byte[]> foreign =
        Map.of(
            "notes.txt", bytes("a teammate's notes"),
            "_spill/README", bytes("someone's file in spill's folder"),
            "_spill/runs/20200101T000000000Z-0123abcd/data.csv", bytes("looks like a run, is not"),
            "_spill/checkpoints/orders_stream/offsets/0", bytes("a streaming checkpoint"),
            "_spill/checkpoints/orders_stream/commits/0", bytes("a streaming checkpoint"),
            "_spill/checkpoints/cp/data-notspill/x.parquet", bytes("a folder spill did not name"),
            "_spill/checkpoints/cp/foreign.txt", bytes("beside spill's files"));
    foreign.forEach(store::write);
    return foreign;
  }

  void assertForeignFilesIntact(Map<String, byte[]> foreign) {
    Map<String, byte[]> now = store.snapshot();
    foreign.forEach((path, content) -> assertThat(now.get(path)).as(path).isEqualTo(content));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
