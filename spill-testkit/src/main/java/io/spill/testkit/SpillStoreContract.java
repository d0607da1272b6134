package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SpillStore} must show. An adapter's test extends this class and
 * returns a fresh, empty store from {@link #newStore()}; the tests run against the real backend.
 */
public abstract class SpillStoreContract {
  /** The store under test, new for each test. */
  protected SpillStore store;

  /**
   * A new store over an empty root that exists or can be written into. A store with a container
   * ({@link io.spill.spi.SupportsContainerLifecycle}) has it created before the tests write, as
   * spill does when a run starts.
   *
   * @return the store
   */
  protected abstract SpillStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
    if (store instanceof io.spill.spi.SupportsContainerLifecycle container) {
      container.createContainerIfMissing();
    }
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void listingAMissingDirectoryIsEmpty() {
    assertThat(store.list("no/such/dir")).isEmpty();
    assertThat(store.exists("no/such/dir")).isFalse();
  }

  @Test
  void writeCreatesParentsAndReadReturnsTheBytes() {
    store.write("a/b/c.json", utf8("{\"x\":1}"));
    assertThat(store.read("a/b/c.json")).isEqualTo(utf8("{\"x\":1}"));
    assertThat(store.exists("a/b/c.json")).isTrue();
    assertThat(store.exists("a/b")).isTrue();
  }

  @Test
  void rangeReadsReturnExactlyTheRangeAndRefuseOneBeyondTheEnd() {
    byte[] content = new byte[70_000]; // more than one buffer of most clients
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    store.write("r/data.bin", content);
    assertThat(store.read("r/data.bin", 0, 8))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 0, 8));
    assertThat(store.read("r/data.bin", 69_992, 8))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 69_992, 70_000));
    assertThat(store.read("r/data.bin", 12_345, 50_000))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 12_345, 62_345));
    assertThat(store.read("r/data.bin", 70_000, 0)).isEmpty();
    assertThatThrownBy(() -> store.read("r/data.bin", 69_999, 2))
        .isInstanceOf(SpillException.class);
    assertThatThrownBy(() -> store.read("r/missing.bin", 0, 1)).isInstanceOf(SpillException.class);
  }

  @Test
  void writeReplacesTheWholeContentAndLeavesNoTemporaryFile() {
    store.write("m/_manifest.json", utf8("first, a longer content"));
    store.write("m/_manifest.json", utf8("second"));
    assertThat(store.read("m/_manifest.json")).isEqualTo(utf8("second"));
    assertThat(store.list("m")).extracting(StoreEntry::name).containsExactly("_manifest.json");
  }

  @Test
  void listShowsDirectChildrenSortedWithSizes() {
    store.write("d/b.bin", new byte[7]);
    store.write("d/a.bin", new byte[3]);
    store.write("d/sub/x.bin", new byte[1]);
    List<StoreEntry> entries = store.list("d");
    assertThat(entries).extracting(StoreEntry::name).containsExactly("a.bin", "b.bin", "sub");
    assertThat(entries.get(0).size()).isEqualTo(3);
    assertThat(entries.get(1).size()).isEqualTo(7);
    assertThat(entries.get(2).directory()).isTrue();
    assertThat(entries.get(0).directory()).isFalse();
  }

  @Test
  void deleteFileRemovesOneFileAndSaysWhetherItWasThere() {
    store.write("t/x.bin", new byte[1]);
    store.write("t/keep.bin", new byte[1]);
    assertThat(store.deleteFile("t/x.bin")).isTrue();
    assertThat(store.deleteFile("t/x.bin")).isFalse();
    assertThat(store.list("t")).extracting(StoreEntry::name).containsExactly("keep.bin");
  }

  @Test
  void deleteFileNeverRemovesADirectory() {
    store.write("t/d/inside.bin", new byte[1]);
    assertThatThrownBy(() -> store.deleteFile("t/d")).isInstanceOf(SpillException.class);
    assertThat(store.exists("t/d/inside.bin")).isTrue();
  }

  @Test
  void deleteEmptyDirectoryKeepsADirectoryThatHoldsAnything() {
    store.write("t/d/inside.bin", new byte[1]);
    assertThat(store.deleteEmptyDirectory("t/d")).isFalse();
    assertThat(store.deleteEmptyDirectory("t")).isFalse();
    assertThat(store.read("t/d/inside.bin")).hasSize(1);
    assertThat(store.deleteFile("t/d/inside.bin")).isTrue();
    assertThat(store.deleteEmptyDirectory("t/d")).isTrue();
    assertThat(store.exists("t/d")).isFalse();
    assertThat(store.deleteEmptyDirectory("t/d")).isTrue();
  }

  @Test
  void readingAMissingFileFailsWithTheStoresError() {
    assertThatThrownBy(() -> store.read("missing.json")).isInstanceOf(SpillException.class);
  }

  @Test
  void pathsThatEscapeTheRootAreRefused() {
    assertThatThrownBy(() -> store.write("../escape.json", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteFile("a/../../b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteFile("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteEmptyDirectory(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sparkWritesAndReadsParquetThroughTheSparkUri() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.range(10).toDF("id");
    // the store's own settings go with each read and write, never into the session
    df.write().options(store.sparkOptions()).parquet(store.sparkUri("spark/out"));
    assertThat(store.list("spark/out")).extracting(StoreEntry::name).contains("_SUCCESS");
    assertThat(
            spark
                .read()
                .options(store.sparkOptions())
                .option("__globPaths__", "false")
                .parquet(store.sparkUri("spark/out"))
                .count())
        .isEqualTo(10);
  }
}
