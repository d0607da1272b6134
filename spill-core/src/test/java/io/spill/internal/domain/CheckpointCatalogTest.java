package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.spi.CheckpointNotFoundException;
import io.spill.spi.SpillException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint catalog and its ownership rules, on an in-memory object store, without Spark. */
class CheckpointCatalogTest {
  private final CatalogFixture f = new CatalogFixture();

  @Test
  void deletingAFolderThatIsNoCheckpointTouchesNothing() {
    Map<String, byte[]> foreign = f.plantForeignFiles();
    SpillRun run = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(run);
    assertThat(catalog.delete("orders_stream")).isFalse();
    assertThat(catalog.list()).isEmpty();
    f.teardown(run, catalog);
    f.assertForeignFilesIntact(foreign);
  }

  @Test
  void deleteRemovesTheManifestAndTheDataItNamesOnly() {
    Map<String, byte[]> foreign = f.plantForeignFiles();
    SpillRun run = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(run);
    String data = f.save(run, catalog, "cp", "v1");
    assertThat(catalog.list()).containsExactly("cp");
    assertThat(catalog.delete("cp")).isTrue();
    assertThat(catalog.list()).isEmpty();
    assertThat(f.store.exists("_spill/checkpoints/cp/" + data)).isFalse();
    assertThat(catalog.delete("cp")).isFalse();
    f.teardown(run, catalog);
    f.assertForeignFilesIntact(foreign);
  }

  @Test
  void aSaveInFlightWhileTheCheckpointIsDeletedKeepsItsData() {
    SpillRun run = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(run);
    f.save(run, catalog, "cp", "v1");
    SpillRun other = f.startRun(Mode.DEV);
    CheckpointCatalog otherCatalog = f.catalog(other);
    String inFlight = otherCatalog.newDataDir("cp");
    f.store.write(inFlight + "/part-0.parquet", CatalogFixture.bytes("v2"));
    assertThat(catalog.delete("cp")).isTrue();
    assertThat(f.store.exists(inFlight + "/part-0.parquet")).isTrue();
    f.teardown(run, catalog);
    assertThat(f.store.exists(inFlight + "/part-0.parquet")).isTrue();
  }

  @Test
  void prodPutsBackACheckpointItOverwroteAndRemovesItsOwnVersions() {
    Map<String, byte[]> foreign = f.plantForeignFiles();
    SpillRun dev = f.startRun(Mode.DEV);
    CheckpointCatalog devCatalog = f.catalog(dev);
    String original = f.save(dev, devCatalog, "cp", "from dev");
    f.teardown(dev, devCatalog);

    SpillRun prod = f.startRun(Mode.PROD);
    CheckpointCatalog catalog = f.catalog(prod);
    String first = f.save(prod, catalog, "cp", "prod 1");
    String second = f.save(prod, catalog, "cp", "prod 2");
    f.save(prod, catalog, "fresh", "only prod");
    assertThat(f.load("cp")).isEqualTo("prod 2");
    f.teardown(prod, catalog);

    assertThat(f.load("cp")).isEqualTo("from dev");
    assertThat(f.store.exists("_spill/checkpoints/cp/" + original)).isTrue();
    assertThat(f.store.exists("_spill/checkpoints/cp/" + first)).isFalse();
    assertThat(f.store.exists("_spill/checkpoints/cp/" + second)).isFalse();
    assertThat(f.store.exists("_spill/checkpoints/fresh")).isFalse();
    f.assertForeignFilesIntact(foreign);
  }

  @Test
  void prodLeavesAVersionAnotherRunCommittedAfterIt() {
    SpillRun prod = f.startRun(Mode.PROD);
    CheckpointCatalog catalog = f.catalog(prod);
    f.save(prod, catalog, "cp", "prod");
    SpillRun dev = f.startRun(Mode.DEV);
    CheckpointCatalog devCatalog = f.catalog(dev);
    f.save(dev, devCatalog, "cp", "dev, later");
    f.teardown(prod, catalog);
    assertThat(f.load("cp")).isEqualTo("dev, later");
    f.teardown(dev, devCatalog);
    assertThat(f.load("cp")).isEqualTo("dev, later");
  }

  @Test
  void overlappingProdRunsPutBackWhatWasThereBeforeAnyOfThemInEitherOrder() {
    for (boolean firstLeavesFirst : new boolean[] {true, false}) {
      CatalogFixture g = new CatalogFixture();
      SpillRun dev = g.startRun(Mode.DEV);
      g.save(dev, g.catalog(dev), "kept", "durable");
      g.teardown(dev, g.catalog(dev));
      SpillRun a = g.startRun(Mode.PROD);
      CheckpointCatalog aCatalog = g.catalog(a);
      SpillRun b = g.startRun(Mode.PROD);
      CheckpointCatalog bCatalog = g.catalog(b);
      g.save(a, aCatalog, "kept", "a");
      g.save(b, bCatalog, "kept", "b");
      g.save(a, aCatalog, "kept", "a again");
      g.save(b, bCatalog, "temp", "b");
      g.save(a, aCatalog, "temp", "a");
      if (firstLeavesFirst) {
        g.teardown(a, aCatalog);
        g.teardown(b, bCatalog);
      } else {
        g.teardown(b, bCatalog);
        g.teardown(a, aCatalog);
      }
      assertThat(g.load("kept")).isEqualTo("durable");
      assertThat(g.catalog(g.startRun(Mode.DEV)).list()).containsExactly("kept");
      assertThat(g.store.exists("_spill/checkpoints/temp")).isFalse();
      assertThat(g.store.list("_spill/checkpoints/kept"))
          .as("the manifest and its data")
          .hasSize(2);
    }
  }

  @Test
  void runsTearingDownAtTheSameTimeLeaveNoUnnamedData() {
    SpillRun a = f.startRun(Mode.PROD);
    CheckpointCatalog aCatalog = f.catalog(a);
    SpillRun b = f.startRun(Mode.PROD);
    CheckpointCatalog bCatalog = f.catalog(b);
    f.save(a, aCatalog, "shared", "a");
    f.save(b, bCatalog, "shared", "b");
    List<RuntimeException> failures = new ArrayList<>();
    aCatalog.restoreOriginals(failures);
    bCatalog.restoreOriginals(failures);
    a.beginEnding(failures);
    b.beginEnding(failures);
    aCatalog.removeUnnamedData(failures); // interleaved: each sees the other ending
    bCatalog.removeUnnamedData(failures);
    a.end(failures);
    b.end(failures);
    assertThat(failures).isEmpty();
    assertThat(f.store.snapshot().keySet())
        .allSatisfy(k -> assertThat(k).doesNotStartWith("_spill/checkpoints/"));
  }

  @Test
  void aPinnedCheckpointKeepsTheDataALiveRunReads() {
    SpillRun writer = f.startRun(Mode.DEV);
    CheckpointCatalog writerCatalog = f.catalog(writer);
    String v1 = f.save(writer, writerCatalog, "cp", "v1");
    f.teardown(writer, writerCatalog);

    SpillRun reader = f.startRun(Mode.DEV);
    CheckpointManifest read = f.catalog(reader).open("cp");
    assertThat(read.dataDir()).isEqualTo(v1);

    SpillRun overwriter = f.startRun(Mode.DEV);
    CheckpointCatalog overCatalog = f.catalog(overwriter);
    f.save(overwriter, overCatalog, "cp", "v2");
    f.teardown(overwriter, overCatalog);
    assertThat(f.store.exists("_spill/checkpoints/cp/" + v1 + "/part-0.parquet"))
        .as("the reader's data while its lease is live")
        .isTrue();

    CheckpointCatalog readerCatalog = f.catalog(reader);
    f.teardown(reader, readerCatalog);
    assertThat(f.store.exists("_spill/checkpoints/cp/" + v1))
        .as("the last run to leave removes what nobody names")
        .isFalse();
    assertThat(f.load("cp")).isEqualTo("v2");
  }

  @Test
  void anExpiredReaderPinsNothing() {
    SpillRun writer = f.startRun(Mode.DEV);
    CheckpointCatalog writerCatalog = f.catalog(writer);
    String v1 = f.save(writer, writerCatalog, "cp", "v1");
    SpillRun crashed = f.startRun(Mode.DEV);
    f.catalog(crashed).open("cp");
    f.clock.advance(SpillRun.LEASE.plusSeconds(1));
    writer.renew();
    f.save(writer, writerCatalog, "cp", "v2");
    f.teardown(writer, writerCatalog);
    assertThat(f.store.exists("_spill/checkpoints/cp/" + v1)).isFalse();
  }

  @Test
  void aCorruptOrNewerManifestCanBeOverwrittenAndProdPutsItBack() {
    byte[] corrupt = CatalogFixture.bytes("{ not json");
    f.store.write("_spill/checkpoints/cp/_manifest.json", corrupt);
    f.store.write("_spill/checkpoints/cp/data-of-unknown-shape/x", CatalogFixture.bytes("?"));
    byte[] newer =
        CatalogFixture.bytes(
            "{\"formatVersion\":99,\"name\":\"nv\",\"writer\":\"x\","
                + "\"dataDir\":\"d\",\"files\":[],\"columns\":[]}");
    f.store.write("_spill/checkpoints/nv/_manifest.json", newer);
    SpillRun prod = f.startRun(Mode.PROD);
    CheckpointCatalog catalog = f.catalog(prod);
    assertThatThrownBy(() -> catalog.open("cp"))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("save the checkpoint again");
    f.save(prod, catalog, "cp", "fixed");
    f.save(prod, catalog, "nv", "older format");
    assertThat(f.load("cp")).isEqualTo("fixed");
    assertThat(f.load("nv")).isEqualTo("older format");
    f.teardown(prod, catalog);
    assertThat(f.store.read("_spill/checkpoints/cp/_manifest.json")).isEqualTo(corrupt);
    assertThat(f.store.read("_spill/checkpoints/nv/_manifest.json")).isEqualTo(newer);
    assertThat(f.store.exists("_spill/checkpoints/cp/data-of-unknown-shape/x")).isTrue();
  }

  @Test
  void aMissingCheckpointIsNamedWithTheOnesThatExist() {
    SpillRun run = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(run);
    f.save(run, catalog, "exists", "x");
    assertThatThrownBy(() -> catalog.open("nope"))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageContaining("no checkpoint 'nope' in VOLUME")
        .hasMessageContaining("[exists]");
  }

  @Test
  void listingSkipsFoldersWithoutAManifestAndNamesSpillWouldRefuse() {
    f.plantForeignFiles();
    f.store.write("_spill/checkpoints/.hidden/_manifest.json", CatalogFixture.bytes("{}"));
    SpillRun run = f.startRun(Mode.DEV);
    CheckpointCatalog catalog = f.catalog(run);
    f.save(run, catalog, "b", "1");
    f.save(run, catalog, "a", "1");
    assertThat(catalog.list()).containsExactly("a", "b");
    assertThat(new String(f.store.read(SpillLayout.runMarker(run.id())), StandardCharsets.UTF_8))
        .contains("\"a\"", "\"b\"");
    f.clock.advance(Duration.ofMinutes(1));
    assertThat(catalog.list()).containsExactly("a", "b");
  }
}
