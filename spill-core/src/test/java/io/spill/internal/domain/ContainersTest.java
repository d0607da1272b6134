package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsContainerLifecycle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Dropping a container spill created, against a store whose drop deletes whatever the container
 * holds (as {@code DROP VOLUME} does): a run that starts while another tears down never loses its
 * files to the drop, whichever of the two comes first.
 */
class ContainersTest {
  private static final String LEASE = "_spill/runs/r-new/_run.json";

  /** A container whose drop takes everything in it, like a managed Unity Catalog volume. */
  static final class VolumeLikeStore implements SpillStore, SupportsContainerLifecycle {
    final InMemoryStore files = new InMemoryStore();
    boolean exists = true;
    int drops;
    private Predicate<String> writeHookOn = p -> false;
    private Runnable writeHook;

    private Predicate<String> beforeWriteOn = p -> false;
    private Runnable beforeWrite;

    private Predicate<String> beforeDeleteOn = p -> false;
    private Runnable beforeDelete;

    /** Runs {@code action} once, right before the next delete of a matching path. */
    void beforeNextDelete(Predicate<String> path, Runnable action) {
      beforeDeleteOn = path;
      beforeDelete = action;
    }

    /** Runs {@code action} once, right before the next write of a matching path. */
    void beforeNextWrite(Predicate<String> path, Runnable action) {
      beforeWriteOn = path;
      beforeWrite = action;
    }

    /** Runs {@code action} once, right after the next write of a matching path. */
    void afterNextWrite(Predicate<String> path, Runnable action) {
      writeHookOn = path;
      writeHook = action;
    }

    @Override
    public String sparkUri(String path) {
      return files.sparkUri(path);
    }

    @Override
    public List<StoreEntry> list(String directory) {
      return exists ? files.list(directory) : List.of();
    }

    @Override
    public byte[] read(String file) {
      if (!exists) {
        throw new SpillException("no volume");
      }
      return files.read(file);
    }

    @Override
    public void write(String file, byte[] content) {
      Runnable before = beforeWrite;
      if (before != null && beforeWriteOn.test(file)) {
        beforeWrite = null;
        before.run();
      }
      if (!exists) { // as a volume: a write into a dropped one fails
        throw new SpillException("no volume");
      }
      files.write(file, content);
      Runnable action = writeHook;
      if (action != null && writeHookOn.test(file)) {
        writeHook = null;
        action.run();
      }
    }

    @Override
    public boolean deleteFile(String file) {
      Runnable before = beforeDelete;
      if (before != null && beforeDeleteOn.test(file)) {
        beforeDelete = null;
        before.run();
      }
      return files.deleteFile(file);
    }

    @Override
    public boolean deleteEmptyDirectory(String directory) {
      return files.deleteEmptyDirectory(directory);
    }

    @Override
    public boolean createContainerIfMissing() {
      boolean created = !exists;
      exists = true;
      return created;
    }

    @Override
    public boolean dropContainerIfEmpty() {
      throw new AssertionError("spill must drop through dropContainerHolding");
    }

    @Override
    public boolean dropContainerHolding(List<String> expected) {
      if (!files.list("").stream().map(StoreEntry::name).toList().equals(List.of("_spill"))
          || !files.list("_spill").stream()
              .map(e -> "_spill/" + e.name())
              .sorted()
              .toList()
              .equals(expected.stream().sorted().toList())) {
        return false;
      }
      for (String f : expected) { // DROP VOLUME: the container and all it holds
        files.deleteFile(f);
      }
      exists = false;
      drops++;
      return true;
    }
  }

  private static VolumeLikeStore createdBySpill() {
    VolumeLikeStore store = new VolumeLikeStore();
    store.write(
        SpillLayout.OWNER_MARKER, "{\"createdBy\":\"spill\"}".getBytes(StandardCharsets.UTF_8));
    return store;
  }

  private static void announce(SpillStore store, Instant at) {
    store.write(
        SpillLayout.DROPPING_MARKER,
        ("{\"droppingSince\":\"" + at + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aContainerHoldingOnlySpillsMarkersIsDroppedWithThemInPlace() {
    VolumeLikeStore store = createdBySpill();
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops).isEqualTo(1);
    assertThat(store.exists).isFalse();
  }

  @Test
  void aRunWhoseLeaseLandsAfterTheAnnouncementKeepsTheContainer() {
    VolumeLikeStore store = createdBySpill();
    // a starting run writes its lease just after the drop was announced
    store.afterNextWrite(
        SpillLayout.DROPPING_MARKER::equals,
        () -> store.write(LEASE, "{}".getBytes(StandardCharsets.UTF_8)));
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops).isZero();
    assertThat(store.exists(LEASE)).isTrue();
    assertThat(store.exists(SpillLayout.OWNER_MARKER)).as("still spill's").isTrue();
    assertThat(store.exists(SpillLayout.DROPPING_MARKER)).as("the drop called off").isFalse();
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops).as("the lease keeps it at a second teardown too").isZero();
  }

  @Test
  void twoRunsTearingDownAtOnceDropItOnceAndWriteNothingBack() {
    VolumeLikeStore store = createdBySpill();
    // the other run's whole teardown happens after this one checked the container, right before
    // it announces its drop: both found only the owner marker
    store.beforeNextWrite(
        SpillLayout.DROPPING_MARKER::equals, () -> Containers.dropIfOnlySpillIsLeft(store));
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops).isEqualTo(1);
    assertThat(store.files.list(""))
        .as("no marker written back into a dropped container")
        .isEmpty();
  }

  /**
   * Another run, C, starts while this one announces its drop (so the drop is called off), and tears
   * down while this one still holds the owner marker: C finds no marker and leaves the container to
   * this one, which must then drop it.
   */
  private static void aRunComesAndGoesDuringTheDrop(VolumeLikeStore store, Runnable attachGoing) {
    store.afterNextWrite(
        SpillLayout.DROPPING_MARKER::equals,
        () -> {
          store.write(LEASE, "{}".getBytes(StandardCharsets.UTF_8)); // C starts
          attachGoing.run();
        });
  }

  private static void runGoes(VolumeLikeStore store) {
    store.deleteFile(LEASE);
    store.deleteEmptyDirectory("_spill/runs/r-new");
    Containers.dropIfOnlySpillIsLeft(store);
  }

  @Test
  void aRunThatTearsDownAsTheCalledOffDropRemovesItsAnnouncementLeavesTheDropToIt() {
    VolumeLikeStore store = createdBySpill();
    aRunComesAndGoesDuringTheDrop(
        store,
        () -> store.beforeNextDelete(SpillLayout.DROPPING_MARKER::equals, () -> runGoes(store)));
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops)
        .as("the last run out drops it, though it looked while C was there")
        .isEqualTo(1);
    assertThat(store.exists).isFalse();
  }

  @Test
  void aRunThatTearsDownAsTheCalledOffDropPutsTheOwnerMarkerBackLeavesTheDropToIt() {
    VolumeLikeStore store = createdBySpill();
    aRunComesAndGoesDuringTheDrop(
        store, () -> store.beforeNextWrite(SpillLayout.OWNER_MARKER::equals, () -> runGoes(store)));
    Containers.dropIfOnlySpillIsLeft(store);
    assertThat(store.drops).isEqualTo(1);
    assertThat(store.exists).isFalse();
  }

  @Test
  void aStartingRunThatFindsTheAnnouncementWaitsForTheDropAndStartsAgain() throws Exception {
    VolumeLikeStore store = createdBySpill();
    announce(store, Instant.now());
    CompletableFuture<Void> drop =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(400);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              store.deleteFile(SpillLayout.DROPPING_MARKER); // the drop ended
            });
    assertThat(Containers.awaitNoDrop(store, Clock.systemUTC(), Duration.ofSeconds(30))).isTrue();
    drop.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDropThatDoesNotEndInTimeIsAClearError() {
    VolumeLikeStore store = createdBySpill();
    announce(store, Instant.now());
    assertThatThrownBy(
            () -> Containers.awaitNoDrop(store, Clock.systemUTC(), Duration.ofMillis(500)))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("is being dropped by a spill run tearing down")
        .hasMessageContaining("delete " + SpillLayout.DROPPING_MARKER);
  }

  @Test
  void anAnnouncementOlderThanALeaseIsOneACrashedRunLeftAndGoes() {
    VolumeLikeStore store = createdBySpill();
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    announce(store, now.minus(SpillRun.LEASE).minusSeconds(1));
    assertThat(Containers.awaitNoDrop(store, Clock.fixed(now, ZoneOffset.UTC), Duration.ZERO))
        .isFalse();
    assertThat(store.exists(SpillLayout.DROPPING_MARKER)).isFalse();
    assertThat(store.exists(SpillLayout.OWNER_MARKER)).isTrue();
  }

  @Test
  void noAnnouncementMeansNoWait() {
    assertThat(Containers.awaitNoDrop(createdBySpill(), Clock.systemUTC(), Duration.ZERO))
        .isFalse();
  }

  @Test
  void aDropThatTookLongerThanHalfALeaseAfterItsAnnouncementIsCalledOff() {
    VolumeLikeStore store = createdBySpill();
    MutableClock clock = new MutableClock();
    store.afterNextWrite(
        SpillLayout.DROPPING_MARKER::equals,
        () -> clock.advance(SpillRun.LEASE.dividedBy(2).plusSeconds(1))); // a long pause
    Containers.dropIfOnlySpillIsLeft(store, clock);
    assertThat(store.drops).isZero();
    assertThat(store.exists(SpillLayout.OWNER_MARKER)).isTrue();
    assertThat(store.exists(SpillLayout.DROPPING_MARKER)).isFalse();
  }
}
