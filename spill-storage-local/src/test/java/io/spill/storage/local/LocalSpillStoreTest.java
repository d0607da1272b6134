package io.spill.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.testkit.SpillStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-local store against the contract every store meets, plus its own rules. */
class LocalSpillStoreTest extends SpillStoreContract {
  @TempDir Path tmp;

  @Override
  protected SpillStore newStore() {
    return new LocalSpillStore(tmp.resolve("root with space, % and [12]"));
  }

  @Test
  void urisPointIntoTheRootUnescaped() {
    Path root = tmp.resolve("root with space, % and [12]");
    assertThat(store.engineUri("a/b")).isEqualTo(root.resolve("a/b").toString());
    assertThat(store.sparkUri("a/b")).isEqualTo("file://" + root.resolve("a/b"));
  }

  @Test
  void createsItsFolderOnceAndDropsItOnlyWhenEmpty() throws Exception {
    LocalSpillStore s = new LocalSpillStore(tmp.resolve("c"));
    assertThat(s.createContainerIfMissing()).isTrue();
    assertThat(s.createContainerIfMissing()).isFalse();
    Files.writeString(tmp.resolve("c/foreign.txt"), "not spill's");
    assertThat(s.dropContainerIfEmpty()).isFalse();
    assertThat(tmp.resolve("c/foreign.txt")).exists();
    Files.delete(tmp.resolve("c/foreign.txt"));
    assertThat(s.dropContainerIfEmpty()).isTrue();
    assertThat(tmp.resolve("c")).doesNotExist();
  }

  @Test
  void aWriteNeverMakesADroppedRootAgain() {
    Path root = tmp.resolve("dropped");
    LocalSpillStore s = new LocalSpillStore(root);
    assertThat(s.createContainerIfMissing()).isTrue();
    s.write("_spill/runs/r/_run.json", "{}".getBytes(StandardCharsets.UTF_8));
    s.deleteFile("_spill/runs/r/_run.json");
    s.deleteEmptyDirectory("_spill/runs/r");
    s.deleteEmptyDirectory("_spill/runs");
    s.deleteEmptyDirectory("_spill");
    assertThat(s.dropContainerIfEmpty()).isTrue();
    for (String file : List.of("_spill/runs/r/_run.json", "top.json")) {
      assertThatThrownBy(() -> s.write(file, "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(SpillException.class)
          .hasMessageContaining("the store's folder " + root + " is gone");
      assertThat(root).as("no write brings the root back without spill's marker").doesNotExist();
    }
  }

  @RepeatedTest(5)
  void ofEightThreadsCreatingOneMissingFolderExactlyOneCreatesIt() throws Exception {
    Path root = tmp.resolve("race/deeper/root");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return new LocalSpillStore(root).createContainerIfMissing();
                } catch (RuntimeException e) {
                  errors.add(e);
                  throw e;
                }
              }));
    }
    go.countDown();
    int created = 0;
    for (Future<Boolean> f : results) {
      created += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(errors).isEmpty();
    assertThat(created).isEqualTo(1);
    assertThat(root).isDirectory();
  }

  /**
   * A folder nobody may write into, whatever the user (the tests may run as root, for whom file
   * permissions do not bind): {@code /proc}.
   */
  @Test
  void aFolderThatCannotBeWrittenIsAClearError() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc, which nobody writes into");
    LocalSpillStore unwritable = new LocalSpillStore(Path.of("/proc/spill-test-root"));
    assertThatThrownBy(unwritable::createContainerIfMissing)
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("cannot create the local spill folder /proc/spill-test-root")
        .hasMessageContaining("choose a writable folder");
    LocalSpillStore readOnly = new LocalSpillStore(Path.of("/proc/self"));
    assertThatThrownBy(() -> readOnly.write("_spill/x.json", new byte[1]))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("check that the folder is writable");
  }

  @Test
  void aFileWhereTheFolderShouldBeIsAClearError() throws Exception {
    Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> new LocalSpillStore(tmp.resolve("f")).createContainerIfMissing())
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("is not a folder");
  }

  @Test
  void deletingALinkRemovesTheLinkNotWhatItPointsTo() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    store.write("d/x.json", new byte[1]);
    Path link = tmp.resolve("root with space, % and [12]/d/link");
    Files.createSymbolicLink(link, outside);
    assertThat(store.list("d"))
        .filteredOn(e -> e.name().equals("link"))
        .singleElement()
        .satisfies(e -> assertThat(e.directory()).isFalse());
    assertThat(store.deleteFile("d/link")).isTrue();
    assertThat(link).doesNotExist();
    assertThat(outside.resolve("keep.txt")).exists();
  }

  @Test
  void aSymlinkedFolderIsListedThroughTheLink() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/checkpoints"));
    Files.writeString(elsewhere.resolve("a.txt"), "a");
    Path root = Files.createDirectories(tmp.resolve("root with space, % and [12]/_spill"));
    Files.createSymbolicLink(root.resolve("checkpoints"), elsewhere);
    assertThat(store.list("_spill/checkpoints"))
        .extracting(StoreEntry::name)
        .containsExactly("a.txt");
    assertThat(store.list("_spill"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.directory()).as("a link is not a folder to descend into").isFalse());
  }
}
