package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.spi.SpillConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** purgeStaleRuns' rules on an in-memory object store (no modification times), without Spark. */
class PurgeTest {
  private final CatalogFixture f = new CatalogFixture();
  private final List<String> runs = new ArrayList<>();
  private final List<String> orphans = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private void purge(SpillRun by, Duration olderThan) {
    Purger.checkCutoff(olderThan);
    new Purger(by).purge(f.store, f.catalog(by), olderThan, runs, orphans, problems);
  }

  @Test
  void cutoffsShorterThanTheLeaseAreRefused() {
    assertThatThrownBy(() -> Purger.checkCutoff(Duration.ZERO))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("Duration.ofMinutes(5)");
    assertThatThrownBy(() -> Purger.checkCutoff(Duration.ofMinutes(4)))
        .isInstanceOf(SpillConfigurationException.class);
    Purger.checkCutoff(Duration.ofMinutes(5));
  }

  @Test
  void aLongRunningLiveRunIsNeverPurged() {
    SpillRun notebook = f.startRun(Mode.DEV);
    f.store.write(SpillLayout.frameDir(notebook.id(), "f1") + "/part-0.parquet", new byte[3]);
    f.clock.advance(Duration.ofHours(2));
    notebook.renew(); // the heartbeat a live spiller sends every minute
    SpillRun purger = f.startRun(Mode.DEV);
    purge(purger, Duration.ofHours(1));
    assertThat(runs).isEmpty();
    assertThat(f.store.exists(SpillLayout.frameDir(notebook.id(), "f1") + "/part-0.parquet"))
        .isTrue();
  }

  @Test
  void aRunWhoseLeaseExpiredLongerAgoThanTheCutoffIsPurged() {
    SpillRun crashed = f.startRun(Mode.DEV);
    String file = SpillLayout.frameDir(crashed.id(), "f1") + "/part-0.parquet";
    f.store.write(file, new byte[3]);
    f.clock.advance(Duration.ofMinutes(30));
    SpillRun purger = f.startRun(Mode.DEV);
    purge(purger, Duration.ofHours(1));
    assertThat(runs).as("expired, but not an hour ago").isEmpty();
    f.clock.advance(Duration.ofMinutes(31));
    purger.renew();
    purge(purger, Duration.ofHours(1));
    assertThat(runs).singleElement().asString().contains(crashed.id());
    assertThat(f.store.exists(SpillLayout.runDir(crashed.id()))).isFalse();
    assertThat(f.store.exists(SpillLayout.runMarker(purger.id()))).isTrue();
  }

  @Test
  void foreignFilesAndRunLookalikesWithoutALeaseSurvive() {
    Map<String, byte[]> foreign = f.plantForeignFiles();
    f.clock.advance(Duration.ofDays(10));
    SpillRun purger = f.startRun(Mode.DEV);
    purge(purger, Duration.ofMinutes(5));
    f.assertForeignFilesIntact(foreign);
    assertThat(runs).isEmpty();
    assertThat(orphans).isEmpty();
  }

  @Test
  void orphanedDataGoesOnlyWhenItsWriterEndedAndNoManifestNamesIt() {
    SpillRun writer = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(writer);
    String named = f.save(writer, catalog, "cp", "v1");
    String inFlight = catalog.newDataDir("cp");
    f.store.write(inFlight + "/part-0.parquet", new byte[5]);
    SpillRun purger = f.startRun(Mode.DEV);
    f.clock.advance(Duration.ofHours(3));
    purger.renew();
    writer.renew(); // a save that takes hours: its writer is alive
    purge(purger, Duration.ofMinutes(5));
    assertThat(orphans).isEmpty();
    assertThat(f.store.exists(inFlight + "/part-0.parquet")).isTrue();

    f.store.deleteFile(SpillLayout.runMarker(writer.id())); // the writer was killed and purged
    f.store.write(
        SpillLayout.runMarker(writer.id()),
        new RunMarker(
                1,
                writer.id(),
                "DEV",
                f.clock.instant().toString(),
                f.clock.instant().minus(Duration.ofHours(1)).toString(),
                List.of("cp"),
                "h",
                1,
                "u",
                false)
            .toJson());
    purge(purger, Duration.ofMinutes(5));
    assertThat(orphans)
        .as("the abandoned save's data and its pending marker")
        .hasSize(2)
        .anySatisfy(o -> assertThat(o).endsWith(inFlight))
        .anySatisfy(o -> assertThat(o).contains("/.pending-data-"));
    assertThat(f.store.exists("_spill/checkpoints/cp/" + named + "/part-0.parquet")).isTrue();
    assertThat(f.load("cp")).isEqualTo("v1");
  }

  @Test
  void oneUnreadableManifestOrLeaseIsReportedAndThePurgeGoesOn() {
    SpillRun crashed = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(crashed);
    f.save(crashed, catalog, "bad", "x");
    String orphanOfBad = catalog.newDataDir("bad");
    f.store.write(orphanOfBad + "/p", new byte[1]);
    f.save(crashed, catalog, "good", "y");
    String orphanOfGood = catalog.newDataDir("good");
    f.store.write(orphanOfGood + "/p", new byte[1]);
    f.store.write(SpillLayout.manifest("bad"), CatalogFixture.bytes("{ corrupt"));
    f.store.write(
        "_spill/runs/20200101T000000000Z-00000000/_run.json", CatalogFixture.bytes("not a lease"));
    f.clock.advance(Duration.ofHours(1));
    SpillRun purger = f.startRun(Mode.DEV);
    purge(purger, Duration.ofMinutes(5));
    assertThat(problems)
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("'bad'"))
        .anySatisfy(p -> assertThat(p).contains("20200101T000000000Z-00000000"));
    assertThat(runs).singleElement().asString().contains(crashed.id());
    assertThat(orphans)
        .hasSize(2)
        .anySatisfy(o -> assertThat(o).endsWith(orphanOfGood))
        .allSatisfy(o -> assertThat(o).contains("checkpoints/good/"));
    assertThat(f.store.exists(orphanOfBad + "/p")).isTrue();
    assertThat(f.store.exists("_spill/runs/20200101T000000000Z-00000000/_run.json")).isTrue();
  }
}
