package io.spill.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.testkit.SpillStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSpillStoreTest extends SpillStoreContract {
  @TempDir Path tmp;

  @Override
  protected SpillStore newStore() {
    return new LocalSpillStore(tmp.resolve("root with space"));
  }

  @Test
  void urisPointIntoTheRoot() {
    Path root = tmp.resolve("root with space");
    assertThat(store.engineUri("a/b")).isEqualTo(root.resolve("a/b").toString());
    assertThat(store.sparkUri("a/b")).isEqualTo("file://" + root.resolve("a/b"));
  }

  @Test
  void createsItsFolderOnceAndDropsItOnlyWhenEmpty() throws Exception {
    LocalSpillStore s = new LocalSpillStore(tmp.resolve("c"));
    assertThat(s.createContainerIfMissing()).isTrue();
    assertThat(s.createContainerIfMissing()).isFalse();
    Files.writeString(tmp.resolve("c/foreign.txt"), "not spill's");
    assertThatThrownBy(s::dropContainer).isInstanceOf(SpillException.class)
        .hasMessageContaining("not empty");
    assertThat(tmp.resolve("c/foreign.txt")).exists();
    Files.delete(tmp.resolve("c/foreign.txt"));
    s.dropContainer();
    assertThat(tmp.resolve("c")).doesNotExist();
  }

  @Test
  void aFileWhereTheFolderShouldBeIsAClearError() throws Exception {
    Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> new LocalSpillStore(tmp.resolve("f")).createContainerIfMissing())
        .isInstanceOf(SpillException.class).hasMessageContaining("is not a folder");
  }

  @Test
  void deleteDoesNotFollowSymbolicLinksOutOfTheStore() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Path root = Files.createDirectories(tmp.resolve("root with space/d"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    assertThat(store.delete("d")).isTrue();
    assertThat(outside.resolve("keep.txt")).exists();
  }
}
