package io.spill.internal.domain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.internal.domain.FaultyStore.Fault;
import io.spill.spi.CheckpointCommitUnknownException;
import io.spill.spi.CheckpointConflictException;
import io.spill.spi.LeaseExpiredException;
import io.spill.spi.SpillException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commits on a store that fails between "applied" and "answered". Whatever happens, the checkpoint
 * loads whole at the old or the new version, data a manifest names is never deleted, and the error
 * says what happened.
 */
class CommitOutcomeTest {
  private static final Predicate<String> MANIFEST = p -> p.endsWith("/_manifest.json");
  private final MutableClock clock = new MutableClock();

  private SpillRun start(FaultyStore store, Mode mode) {
    SpillRun run = new SpillRun(mode, List.of(store), clock);
    run.start();
    return run;
  }

  private static CheckpointManifest written(
      SpillRun run, CheckpointCatalog catalog, FaultyStore store, String payload) {
    return CatalogFixture.written(run, catalog, store, "cp", payload);
  }

  private String load(FaultyStore store) {
    return CatalogFixture.load(store, clock, "cp");
  }

  private static boolean dataExists(FaultyStore store, CheckpointManifest m) {
    return store.exists(SpillLayout.checkpointDir("cp") + "/" + m.files().get(0));
  }

  private static FaultyStore store(boolean cas) {
    return cas ? FaultyStore.withCas() : new FaultyStore();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aWriteAppliedWhoseAnswerWasLostIsACommit(boolean cas) {
    FaultyStore store = store(cas);
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_LOST);
    catalog.commit(v2); // read back: the store holds it
    assertThat(store.injected).isEqualTo(1);
    assertThat(load(store)).isEqualTo("v2");
    assertThat(catalog.list()).containsExactly("cp");
  }

  @Test
  void aConditionalWriteWhoseRetryMetsItsOwnFirstAttemptIsACommit() {
    FaultyStore store = FaultyStore.withCas();
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_REFUSED);
    catalog.commit(v2); // refused, but the store holds exactly what was sent: not a conflict
    assertThat(load(store)).isEqualTo("v2");
    assertThat(dataExists(store, v2)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aWriteThatDidNotLandIsNotACommitAndItsDataIsKeptForTeardown(boolean cas) {
    FaultyStore store = store(cas);
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    CheckpointManifest v1 = written(run, catalog, store, "v1");
    catalog.commit(v1);
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.failNextWrite(MANIFEST, Fault.FAILED);
    assertThatThrownBy(() -> catalog.commit(v2))
        .isExactlyInstanceOf(SpillException.class)
        .hasMessageContaining("injected: writing")
        .hasMessageContaining("still holds the previous version, so this save was not committed");
    assertThat(load(store)).isEqualTo("v1");
    assertThat(dataExists(store, v2)).as("kept: a write in flight could still land").isTrue();
    teardown(run, catalog);
    assertThat(dataExists(store, v2)).as("teardown removes what nothing names").isFalse();
    assertThat(dataExists(store, v1)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anOutcomeThatCannotBeReadBackIsReportedAsUnknownAndNothingIsDeleted(boolean cas) {
    FaultyStore store = store(cas);
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_LOST);
    store.failReads(MANIFEST);
    assertThatThrownBy(() -> catalog.commit(v2))
        .isInstanceOf(CheckpointCommitUnknownException.class)
        .hasMessageContaining("was committed is unknown")
        .hasMessageContaining("Nothing was deleted");
    store.failReads(p -> false);
    assertThat(dataExists(store, v2)).isTrue();
    assertThat(load(store)).as("the write had landed: whole, at the new version").isEqualTo("v2");
    teardown(run, catalog);
    assertThat(load(store)).as("teardown keeps data a manifest names").isEqualTo("v2");
  }

  @Test
  void aRefusalThatCannotBeReadBackIsReportedAsUnknownAndNothingIsDeleted() {
    FaultyStore store = FaultyStore.withCas();
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.failNextWrite(MANIFEST, Fault.APPLIED_THEN_REFUSED);
    store.failReads(MANIFEST);
    assertThatThrownBy(() -> catalog.commit(v2))
        .isInstanceOf(CheckpointCommitUnknownException.class)
        .hasMessageContaining("conditional write of its manifest was refused");
    store.failReads(p -> false);
    assertThat(dataExists(store, v2)).isTrue();
    assertThat(load(store)).isEqualTo("v2");
  }

  @Test
  void aConflictWithAnotherWriterRemovesOnlyThisSavesData() {
    FaultyStore store = FaultyStore.withCas();
    SpillRun a = start(store, Mode.DEV);
    SpillRun b = start(store, Mode.DEV);
    CheckpointCatalog ca = new CheckpointCatalog(store, Storage.VOLUME, a);
    CheckpointCatalog cb = new CheckpointCatalog(store, Storage.VOLUME, b);
    CheckpointManifest fromA = written(a, ca, store, "A");
    CheckpointManifest fromB = written(b, cb, store, "B");
    cb.commit(fromB);
    assertThatThrownBy(() -> ca.commit(fromA)).isInstanceOf(CheckpointConflictException.class);
    assertThat(dataExists(store, fromA)).isFalse();
    assertThat(load(store)).isEqualTo("B");
  }

  @Test
  void aPendingMarkerThatCannotBeDeletedDoesNotUndoTheCommit() {
    FaultyStore store = FaultyStore.withCas();
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    CheckpointManifest v1 = written(run, catalog, store, "v1");
    store.failDeletes(p -> p.contains("/.pending-"));
    catalog.commit(v1);
    assertThat(load(store)).isEqualTo("v1");
    assertThat(store.exists(SpillLayout.pendingMarker("cp", v1.dataDir()))).isTrue();
    store.failDeletes(p -> false);
    teardown(run, catalog);
    assertThat(store.exists(SpillLayout.pendingMarker("cp", v1.dataDir())))
        .as("teardown removes the marker of this run's save")
        .isFalse();
    assertThat(load(store)).isEqualTo("v1");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aRunWhoseLeaseLapsedCommitsNothingUntilItIsRenewed(boolean cas) {
    FaultyStore store = store(cas);
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    // this run cannot renew its lease: a store outage, a 429 storm, a laptop asleep
    store.failWrites(p -> p.endsWith(run.id() + "/_run.json"));
    for (int minute = 0; minute < 4; minute++) {
      clock.advance(Duration.ofMinutes(1));
      run.renew(); // fails, logged
    }
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> catalog.commit(v2))
        .isInstanceOf(LeaseExpiredException.class)
        .hasMessageContaining("could not renew its lease")
        .hasMessageContaining("for 241 s")
        .hasMessageContaining("not committed");
    assertThat(load(store)).isEqualTo("v1");
    assertThat(dataExists(store, v2)).as("this save's data is removed").isFalse();
    store.failWrites(p -> false);
    run.renew();
    catalog.commit(written(run, catalog, store, "v3"));
    assertThat(load(store)).isEqualTo("v3");
  }

  @Test
  void dataThatIsGoneIsNeverCommitted() {
    FaultyStore store = new FaultyStore();
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    store.deleteFile(SpillLayout.checkpointDir("cp") + "/" + v2.files().get(0));
    assertThatThrownBy(() -> catalog.commit(v2))
        .hasMessageContaining("was not committed: its file")
        .hasMessageContaining("is no longer in");
    assertThat(load(store)).isEqualTo("v1");
  }

  @Test
  void onceTeardownHasBegunNoSaveCommits() {
    FaultyStore store = new FaultyStore();
    SpillRun run = start(store, Mode.DEV);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    catalog.commit(written(run, catalog, store, "v1"));
    CheckpointManifest v2 = written(run, catalog, store, "v2");
    run.stopCommits();
    assertThatThrownBy(() -> catalog.commit(v2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is tearing down");
    assertThat(load(store)).isEqualTo("v1");
  }

  /**
   * Without compare-and-swap, a PROD restore reads the manifest and writes it back one request
   * after the other: what else it needs to know (is the old version's data still there?) is found
   * out before, so a DEV run's commit during that check stands.
   */
  @Test
  void aProdRestoreOnAPlainStoreKeepsACommitThatLandedWhileItChecked() {
    FaultyStore store = new FaultyStore();
    SpillRun dev = start(store, Mode.DEV);
    CheckpointCatalog cd = new CheckpointCatalog(store, Storage.VOLUME, dev);
    cd.commit(written(dev, cd, store, "before"));
    SpillRun prod = start(store, Mode.PROD);
    CheckpointCatalog cp = new CheckpointCatalog(store, Storage.VOLUME, prod);
    cp.commit(written(prod, cp, store, "prod"));
    CheckpointManifest late = written(dev, cd, store, "late");
    // while the restore checks that the old version's data is still there
    store.beforeNextExists(path -> path.contains("/data-"), () -> cd.commit(late));
    List<RuntimeException> failures = new ArrayList<>();
    cp.restoreOriginals(failures);
    assertThat(failures).isEmpty();
    assertThat(load(store))
        .as("the DEV commit during the restore's check stands")
        .isEqualTo("late");
  }

  @Test
  void aCraftedManifestNamingPathsOutsideTheCheckpointReachesNothing() {
    FaultyStore store = new FaultyStore();
    store.write("_spill/checkpoints/victim/_manifest.json", "a teammate's".getBytes(UTF_8));
    store.write("outside/keep.parquet", "not spill's".getBytes(UTF_8));
    String crafted =
        "{\"formatVersion\":1,\"name\":\"cp\",\"writer\":\"spark\","
            + "\"dataDir\":\"../../../outside\",\"files\":[\"../../../outside/keep.parquet\"],"
            + "\"columns\":[],\"runId\":\"x\"}";
    store.write(SpillLayout.manifest("cp"), crafted.getBytes(UTF_8));
    SpillRun run = start(store, Mode.PROD);
    CheckpointCatalog catalog = new CheckpointCatalog(store, Storage.VOLUME, run);
    assertThatThrownBy(() -> catalog.open("cp")).hasMessageContaining("refused as unreadable");
    assertThat(catalog.delete("cp")).isTrue();
    List<String> problems = new ArrayList<>();
    teardown(run, catalog);
    new Purger(start(store, Mode.DEV))
        .purge(
            store, catalog, Duration.ofMinutes(5), new ArrayList<>(), new ArrayList<>(), problems);
    assertThat(store.read("outside/keep.parquet")).isEqualTo("not spill's".getBytes(UTF_8));
    assertThat(store.read("_spill/checkpoints/victim/_manifest.json"))
        .isEqualTo("a teammate's".getBytes(UTF_8));
  }

  private static void teardown(SpillRun run, CheckpointCatalog catalog) {
    List<RuntimeException> failures = new ArrayList<>();
    run.beginEnding(failures);
    catalog.removeUnnamedData(failures);
    run.end(failures);
    assertThat(failures).isEmpty();
  }
}
