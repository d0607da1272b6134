package io.spill.engine.duckdb;

import static io.spill.engine.duckdb.SpillerFixture.assertSameData;
import static io.spill.engine.duckdb.SpillerFixture.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.InvalidIdentifierException;
import io.spill.storage.local.LocalSpillStore;
import io.spill.testkit.FaultInjectingStore;
import io.spill.testkit.ReliabilityReport;
import io.spill.testkit.Soak;
import io.spill.testkit.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spill on a store it shares with other people's files: ownership, hostile names, odd folder names,
 * and many PROD runs on one root.
 */
class SharedStoreTest {
  @TempDir Path tmp;

  /** Files spill did not write, planted where spill works; returns path and content. */
  static Map<String, String> plantForeignFiles(Path root) throws Exception {
    Map<String, String> foreign = new LinkedHashMap<>();
    foreign.put("notes.txt", "a teammate's notes");
    foreign.put("checkpoints/orders/offsets/0", "a streaming checkpoint at the root");
    foreign.put("_spill/README.md", "someone's file in spill's folder");
    foreign.put("_spill/runs/20200101T000000000Z-0123abcd/data.csv", "looks like a run");
    foreign.put("_spill/checkpoints/orders_stream/offsets/0", "a streaming checkpoint");
    foreign.put("_spill/checkpoints/orders_stream/metadata", "{\"id\":\"stream\"}");
    foreign.put("_spill/checkpoints/shared/notes.txt", "beside spill's data");
    foreign.put("_spill/checkpoints/shared/data-by-hand/x.parquet", "not a folder spill names");
    for (var e : foreign.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    return foreign;
  }

  static void assertForeignFilesIntact(Path root, Map<String, String> foreign) throws Exception {
    for (var e : foreign.entrySet()) {
      assertThat(root.resolve(e.getKey())).as(e.getKey()).hasContent(e.getValue());
    }
  }

  private VolumeSpiller<DuckDbFrame> spiller(Path root, Mode mode) {
    return SpillerFixture.spiller(root, tmp.resolve("local"), mode);
  }

  @Test
  void foreignFilesSurviveEveryOperationTeardownPurgeAndDelete() throws Exception {
    Path root = tmp.resolve("shared volume");
    Map<String, String> foreign = plantForeignFiles(root);
    for (Mode mode : Mode.values()) {
      try (VolumeSpiller<DuckDbFrame> spill = spiller(root, mode)) {
        Dataset<Row> df = spark().range(20).selectExpr("id", "id % 3 AS k");
        DuckDbFrame eager = spill.sparkToEngine(df, ToEngine.eager());
        spill.sparkToEngine(df, ToEngine.lazy().optimizeFiles(true));
        spill.engineToSpark(eager.sql("SELECT k, count(*) AS n FROM this GROUP BY k")).count();
        spill.saveCheckpointSpark(df, "shared");
        spill.saveCheckpointFrame(eager, "shared");
        spill.saveCheckpointFrame(eager, "mine_" + mode);
        assertThat(spill.deleteCheckpoint("orders_stream")).isFalse();
        assertThat(spill.deleteCheckpoint("mine_" + mode)).isTrue();
        assertThat(spill.listCheckpoints()).containsExactly("shared");
        spill.purgeStaleRuns(Duration.ofMinutes(5));
        assertForeignFilesIntact(root, foreign);
      }
      assertForeignFilesIntact(root, foreign);
    }
    try (VolumeSpiller<DuckDbFrame> later = spiller(root, Mode.DEV)) {
      assertThat(later.listCheckpoints()).as("PROD put back what DEV saved").contains("shared");
      assertThat(later.loadCheckpointSpark("shared").count()).isEqualTo(20);
    }
  }

  @Test
  void aFolderSpillCreatedIsKeptWhenSomeoneElsePutsAFileInIt() throws Exception {
    Path root = tmp.resolve("created by spill");
    try (VolumeSpiller<DuckDbFrame> prod = spiller(root, Mode.PROD)) {
      prod.saveCheckpointSpark(spark().range(3).toDF(), "cp");
      Files.writeString(root.resolve("teammate.csv"), "a,b");
    }
    assertThat(root.resolve("teammate.csv")).hasContent("a,b");
    assertThat(root.resolve("_spill/owner.json")).as("ownership kept").exists();
    Files.delete(root.resolve("teammate.csv"));
    try (VolumeSpiller<DuckDbFrame> prod = spiller(root, Mode.PROD)) {
      prod.saveCheckpointSpark(spark().range(3).toDF(), "cp");
    }
    assertThat(root)
        .as("the next PROD run drops it once only spill's marker is left")
        .doesNotExist();
  }

  @Test
  void aRunStartingAsAnotherDropsTheRootMakesItAgainAndLeavesNothing() throws Exception {
    Path root = tmp.resolve("dropped while starting");
    // another PROD run created the root and is tearing down: only its ownership marker is left
    Files.createDirectories(root.resolve("_spill"));
    Files.writeString(root.resolve("_spill/owner.json"), "{\"createdBy\":\"spill\"}");
    FaultInjectingStore store = FaultInjectingStore.wrapping(new LocalSpillStore(root));
    // it drops the root after this run found it there, right before this run's lease lands
    store.beforeNextWrite(
        p -> p.endsWith("/_run.json"),
        () -> {
          try {
            Files.delete(root.resolve("_spill/owner.json"));
            Files.delete(root.resolve("_spill"));
            Files.delete(root);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(DuckDbEngine.create())
            .store(store)
            .localDir(tmp.resolve("local"))
            .mode(Mode.PROD)
            .shutdownHook(false)
            .build()) {
      assertThat(root.resolve("_spill/owner.json"))
          .as("the lease did not bring the root back bare: spill made it again, as its own")
          .exists();
      spill.saveCheckpointSpark(spark().range(3).toDF(), "cp");
    }
    assertThat(root).as("so the run that made it again drops it").doesNotExist();
  }

  /**
   * Rounds (3, or 25 in the full tier) of 8 PROD spillers built at once on a missing root: it is
   * always gone after.
   */
  @Test
  void prodSpillersSharingARootSpillCreatedLeaveNothing() throws Exception {
    int rounds = Soak.count(3, 25);
    int spillers = 8;
    int left = 0;
    List<String> leftover = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(spillers);
    try {
      for (int round = 0; round < rounds; round++) {
        Path root = tmp.resolve("round-" + round + "/deeper/root");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < spillers; i++) {
          int id = i;
          work.add(
              pool.submit(
                  () -> {
                    go.await();
                    try (VolumeSpiller<DuckDbFrame> spill =
                        VolumeSpiller.builder(SparkTestSession.get())
                            .engine(DuckDbEngine.create())
                            .store(root.toString())
                            .localDir(root.resolveSibling("local-" + id))
                            .mode(Mode.PROD)
                            .option("duckdb.threads", "1")
                            .shutdownHook(false)
                            .build()) {
                      DuckDbFrame frame =
                          ((DuckDbFrameEngine) spill.engine()).sql("SELECT " + id + " AS id");
                      spill.saveCheckpointFrame(frame, "shared");
                      spill.saveCheckpointFrame(frame, "own_" + id);
                      Thread.sleep(id * 3L);
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : work) {
          f.get(2, TimeUnit.MINUTES);
        }
        if (Files.exists(root)) {
          left++;
          try (var tree = Files.walk(root)) {
            tree.map(p -> root.relativize(p).toString()).sorted().forEach(leftover::add);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(left).as("rounds whose root was left behind, holding %s", leftover).isZero();
    ReliabilityReport.record(
        "Many PROD runs on one root",
        String.format(
            """
        `SharedStoreTest.prodSpillersSharingARootSpillCreatedLeaveNothing`: in each of %d rounds,
        %d PROD spillers are built at the same moment on one missing root (so they race to
        create it), each saves a shared and an own checkpoint, and they tear down in turn.
        Exactly one of them creates the root and writes spill's ownership marker; whichever
        leaves last finds nothing but spill's marker and drops the root.

        | figure | value |
        |---|---:|
        | rounds | %d |
        | builds that failed in the race to create the root | 0 |
        | rounds whose root was left behind | %d |
        """,
            rounds, spillers, rounds, left));
  }

  private static final List<String> HOSTILE =
      List.of(
          "it's",
          "back`tick",
          "semi;colon",
          "../escape",
          "a/../../b",
          "/etc/passwd",
          "nul\u0000byte",
          "new\nline",
          "rtl\u202Eeman",
          "ｆｕｌｌｗｉｄｔｈ",
          "x".repeat(300),
          ".",
          "..",
          "",
          " lead",
          "trail ",
          "a b",
          "_spill",
          "-dash-first",
          "tab\tname",
          "back\\slash",
          "colon:name",
          "star*",
          "q?",
          "[brackets]",
          "{braces}");

  @Test
  void hostileNamesAreRefusedBeforeAnyIo() throws Exception {
    Path root = tmp.resolve("hostile");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(root, Mode.DEV)) {
      DuckDbFrame frame = spill.sparkToEngine(spark().range(1).toDF(), ToEngine.eager());
      spill.saveCheckpointSpark(spark().range(2).toDF(), "fine");
      String before = fingerprint(root) + fingerprint(tmp.resolve("local"));
      List<Consumer<String>> operations =
          List.of(
              n -> spill.saveCheckpointSpark(spark().range(1).toDF(), n),
              n -> spill.saveCheckpointSpark(spark().range(1).toDF(), n, Storage.LOCAL),
              n -> spill.saveCheckpointFrame(frame, n),
              n -> spill.loadCheckpointSpark(n),
              n -> spill.loadCheckpointFrame(n, Storage.LOCAL),
              n -> spill.scanCheckpointFrame(n),
              n -> spill.deleteCheckpoint(n),
              n -> spill.deleteCheckpoint(n, Storage.LOCAL));
      int refused = 0;
      for (String name : HOSTILE) {
        for (Consumer<String> op : operations) {
          assertThatThrownBy(() -> op.accept(name))
              .as("name %s", name)
              .isInstanceOf(InvalidIdentifierException.class)
              .hasMessageContaining("invalid checkpoint name");
          refused++;
        }
      }
      assertThat(fingerprint(root) + fingerprint(tmp.resolve("local")))
          .as("the store roots, byte for byte")
          .isEqualTo(before);
      assertThat(spill.listCheckpoints()).containsExactly("fine");
      ReliabilityReport.record(
          "Hostile names",
          String.format(
              """
          `SharedStoreTest.hostileNamesAreRefusedBeforeAnyIo`: %d checkpoint names (quotes,
          backticks, semicolons, `../`, absolute paths, NUL, newlines, a right-to-left
          override, full-width look-alikes, 300 characters, `.`, `..`, glob characters, ...)
          passed to every checkpoint method on both storages.

          | figure | value |
          |---|---:|
          | calls | %d |
          | refused with `InvalidIdentifierException` before any I/O | %d |
          | bytes changed in the store roots | 0 |
          """,
              HOSTILE.size(), refused, refused));
    }
  }

  /** Every file name and content below {@code root}, hashed. */
  private static String fingerprint(Path root) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    if (!Files.exists(root)) {
      return "absent";
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted().toList()) {
        sha.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(p)) {
          sha.update(Files.readAllBytes(p));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Folder names users have: each of these in the root must work for every operation. */
  private static final List<String> SPECIAL_FOLDERS =
      List.of(
          "with space",
          "per%20cent",
          "it's",
          "say \"hi\"",
          "what?",
          "glob[12]",
          "glob{a,b}",
          "star*",
          "ünïcødé");

  /**
   * One folder holding all of them at once; in the README's test command it stands for them all,
   * and the full tier also tries each alone (a failure there names the character).
   */
  static List<String> specialFolders() {
    String together = String.join(" ", SPECIAL_FOLDERS);
    if (!Soak.isFull()) {
      return List.of(together);
    }
    List<String> all = new ArrayList<>(SPECIAL_FOLDERS);
    all.add(together);
    return all;
  }

  @ParameterizedTest
  @MethodSource("specialFolders")
  void everyOperationWorksWithSpecialCharactersInTheRoot(String folder) {
    Path root = tmp.resolve(folder).resolve("volume " + folder);
    Map<String, Long> counts = new TreeMap<>();
    try (VolumeSpiller<DuckDbFrame> spill = spiller(root, Mode.DEV)) {
      Dataset<Row> df =
          spark()
              .range(0, 300, 1, 3)
              .selectExpr(
                  "id",
                  "CAST(id AS STRING) AS s",
                  "TIMESTAMP '2024-01-01 00:00:00Z' + make_interval(0, 0, 0, 0, 0, 0, id) AS ts");
      DuckDbFrame eager = spill.sparkToEngine(df, ToEngine.eager());
      counts.put("1 sparkToEngine eager", eager.count());
      DuckDbFrame lazy = spill.sparkToEngine(df, ToEngine.lazy().optimizeFiles(true));
      counts.put("2 sparkToEngine lazy, optimized", lazy.count());
      assertSameData(df, spill.engineToSpark(lazy));
      counts.put("3 engineToSpark", spill.engineToSpark(eager).count());
      spill.saveCheckpointSpark(df, "from_spark");
      spill.saveCheckpointFrame(eager, "from_frame", Storage.VOLUME);
      spill.saveCheckpointSpark(df, "local_cp", Storage.LOCAL);
      counts.put("4 loadCheckpointSpark", spill.loadCheckpointSpark("from_frame").count());
      assertSameData(df, spill.loadCheckpointSpark("from_spark"));
      counts.put("5 loadCheckpointFrame", spill.loadCheckpointFrame("from_spark").count());
      counts.put("6 scanCheckpointFrame", spill.scanCheckpointFrame("from_frame").count());
      counts.put(
          "7 LOCAL checkpoint", spill.loadCheckpointSpark("local_cp", Storage.LOCAL).count());
      assertThat(spill.listCheckpoints()).containsExactly("from_frame", "from_spark");
      assertThat(spill.deleteCheckpoint("from_frame")).isTrue();
      assertThat(spill.listCheckpoints()).containsExactly("from_spark");
      assertThat(spill.purgeStaleRuns(Duration.ofMinutes(5)).problems()).isEmpty();
    }
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(300));
    assertThat(root.resolve("_spill/runs")).isEmptyDirectory();
  }
}
