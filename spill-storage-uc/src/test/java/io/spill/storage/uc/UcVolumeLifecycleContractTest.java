package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.SqlRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Creating and dropping the volume through the volumes API of the fake workspace on 127.0.0.1: of
 * several stores starting at once on a missing volume exactly one creates it, and a volume is
 * dropped only when it holds nothing.
 */
class UcVolumeLifecycleContractTest {
  @TempDir Path temp;

  @ParameterizedTest(name = "uc.files={0}")
  @ValueSource(strings = {"api", "mount"})
  void ofFourStoresStartingAtOnceExactlyOneCreatesTheVolume(String access) throws Exception {
    try (UcFixture fixture = new UcFixture(temp)) {
      int n = 4;
      CyclicBarrier start = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<Boolean>> created = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        created.add(
            pool.submit(
                () -> {
                  try (UcVolumeStore store =
                      UcVolumeStore.open(
                          UcFixture.location("raced"),
                          fixture.settings(access),
                          (SqlRunner) null)) {
                    start.await();
                    return store.createContainerIfMissing();
                  }
                }));
      }
      int winners = 0;
      for (Future<Boolean> f : created) {
        winners += f.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(winners).isEqualTo(1);
      assertThat(fixture.workspace.count("POST", "/api/2.1/unity-catalog/volumes"))
          .isBetween(1L, (long) n);
      assertThat(fixture.volumes.resolve("main/team_a/raced")).isDirectory();
    }
  }

  @Test
  void aVolumeThatHoldsAnythingIsNotDropped() throws Exception {
    try (UcFixture fixture = new UcFixture(temp);
        UcVolumeStore store =
            UcVolumeStore.open(
                UcFixture.location("held") + "/a", fixture.settings("api"), (SqlRunner) null)) {
      assertThat(store.createContainerIfMissing()).isTrue();
      Path volume = fixture.volumes.resolve("main/team_a/held");
      Files.writeString(volume.resolve("teammate.csv"), "x");
      assertThat(store.dropContainerIfEmpty()).isFalse();
      assertThat(volume.resolve("teammate.csv")).hasContent("x");
      Files.delete(volume.resolve("teammate.csv"));
      Files.createDirectories(volume.resolve("a/b"));
      assertThat(store.dropContainerIfEmpty())
          .as("a folder below the prefix is not spill's")
          .isFalse();
      assertThat(volume.resolve("a/b")).isDirectory();
      Files.delete(volume.resolve("a/b"));
      assertThat(store.dropContainerIfEmpty()).isTrue();
      assertThat(volume).doesNotExist();
      assertThat(store.createContainerIfMissing()).as("missing again, so created again").isTrue();
    }
  }

  /**
   * The create is carried out and its answer lost; the retry meets the volume its first attempt
   * made. The volume's comment shows it is this store's, so spill owns it (and a PROD run drops
   * it), where a volume another process made stays another's.
   */
  @Test
  void aCreateWhoseAnswerWasLostIsStillThisStoresAndAnotherProcesssIsNot() throws Exception {
    try (UcFixture fixture = new UcFixture(temp)) {
      fixture.workspace.inject(
          "POST", "/api/2.1/unity-catalog/volumes", new FakeWorkspace.LoseAnswer());
      try (UcVolumeStore store =
          UcVolumeStore.open(
              UcFixture.location("lost"), fixture.settings("api"), (SqlRunner) null)) {
        assertThat(store.createContainerIfMissing()).isTrue();
      }
      assertThat(fixture.workspace.pendingFaults()).isZero();
      assertThat(fixture.workspace.count("POST", "/api/2.1/unity-catalog/volumes"))
          .as("the lost answer, then the retry that met the volume")
          .isEqualTo(2);

      // another process created the volume after this store found it missing
      Files.createDirectories(fixture.volumes.resolve("main/team_a/theirs"));
      fixture.workspace.inject(
          "HEAD",
          "/api/2.0/fs/directories/Volumes/main/team_a/theirs",
          new FakeWorkspace.Status(404));
      try (UcVolumeStore store =
          UcVolumeStore.open(
              UcFixture.location("theirs"), fixture.settings("api"), (SqlRunner) null)) {
        assertThat(store.createContainerIfMissing())
            .as("the volume exists, and its comment is not this store's")
            .isFalse();
      }
      assertThat(fixture.workspace.pendingFaults()).isZero();
    }
  }

  @Test
  void aVolumeIsDroppedWithSpillsMarkersOnlyIfItHoldsNothingElse() throws Exception {
    try (UcFixture fixture = new UcFixture(temp);
        UcVolumeStore store =
            UcVolumeStore.open(
                UcFixture.location("marked") + "/a", fixture.settings("api"), (SqlRunner) null)) {
      assertThat(store.createContainerIfMissing()).isTrue();
      List<String> markers = List.of("_spill/dropping.json", "_spill/owner.json");
      for (String m : markers) {
        store.write(m, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Path volume = fixture.volumes.resolve("main/team_a/marked");
      Files.writeString(volume.resolve("a/_spill/notes.txt"), "a teammate's");
      assertThat(store.dropContainerHolding(markers)).isFalse();
      Files.delete(volume.resolve("a/_spill/notes.txt"));
      Files.writeString(volume.resolve("teammate.csv"), "x");
      assertThat(store.dropContainerHolding(markers)).as("beside the prefix").isFalse();
      assertThat(volume.resolve("teammate.csv")).hasContent("x");
      assertThat(volume.resolve("a/_spill/owner.json")).as("the markers stay").exists();
      Files.delete(volume.resolve("teammate.csv"));
      assertThat(store.dropContainerHolding(markers)).isTrue();
      assertThat(volume).doesNotExist();
    }
  }
}
