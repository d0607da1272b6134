package io.spill.storage.s3;

import static io.spill.testkit.SparkSamples.assertSameDataNullabilityAside;
import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.testkit.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The sandwich end to end on a real local Spark, DuckDB and a real S3 server (s3proxy on
 * 127.0.0.1): Spark writes and reads through s3a with settings for this bucket only, DuckDB reads
 * staged copies on the driver's disk, checkpoints commit by manifest, and teardown in DEV and PROD
 * leaves a teammate's files where they were.
 */
class S3SandwichTest {
  /** A teammate's files, planted before spill runs: they must be exactly the same afterwards. */
  private static final List<String> FOREIGN =
      List.of(
          "teammate/report.csv",
          "stream/_checkpoint/offsets/0",
          "_spill/checkpoints/orders/notes-from-a-teammate.txt",
          "_spill/runs/not-a-run.txt");

  @TempDir Path local;
  private String bucket;
  private final String prefix = "team/spill";

  @BeforeEach
  void plantForeignFiles() {
    bucket = S3TestServer.get().newBucket();
    for (String f : FOREIGN) {
      S3TestServer.get()
          .admin()
          .putObject(
              b -> b.bucket(bucket).key(prefix + "/" + f), RequestBody.fromString("foreign " + f));
    }
    // beside the root, in the same bucket
    S3TestServer.get()
        .admin()
        .putObject(
            b -> b.bucket(bucket).key("team/other/x.parquet"),
            RequestBody.fromString("not spill's"));
  }

  private VolumeSpiller<DuckDbFrame> spiller(Mode mode) {
    return VolumeSpiller.builder(spark())
        .engine(DuckDbEngine.create())
        .store("s3://" + bucket + "/" + prefix)
        .options(S3TestServer.get().options())
        .option("duckdb.threads", "2")
        .localDir(local)
        .mode(mode)
        .shutdownHook(false)
        .build();
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  static Dataset<Row> sample() {
    return spark()
        .sql(
            "SELECT id, CAST(id * 1.5 AS DECIMAL(20, 4)) AS amount,"
                + " concat('name-', id) AS name, id % 3 = 0 AS flag,"
                + " TIMESTAMP '2024-03-01 12:00:00' + make_dt_interval(0, 0, 0, id) AS ts,"
                + " TIMESTAMP_NTZ '2024-03-01 12:00:00' AS local_ts, DATE '1999-12-31' AS d,"
                + " named_struct('a', id, 'b', array(id, id + 1)) AS s,"
                + " map('k', CAST(id AS STRING)) AS m FROM range(0, 2000, 1, 3)");
  }

  /** Every object below the root, with its content, except spill's own namespace's. */
  private Map<String, String> objects() {
    Map<String, String> all = new TreeMap<>();
    for (S3Object o :
        S3TestServer.get().admin().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
      all.put(
          o.key(),
          S3TestServer.get()
              .admin()
              .getObjectAsBytes(b -> b.bucket(bucket).key(o.key()))
              .asString(StandardCharsets.UTF_8));
    }
    return all;
  }

  private Map<String, String> foreignObjects() {
    Map<String, String> all = objects();
    all.keySet()
        .removeIf(
            k ->
                !k.equals("team/other/x.parquet")
                    && !FOREIGN.contains(k.substring(prefix.length() + 1)));
    return all;
  }

  private List<Path> stagedFiles() throws Exception {
    Path runs = local.resolve("_spill/scratch");
    if (!Files.exists(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(runs)) {
      return s.filter(
              p ->
                  p.toString().contains("/staged/")
                      && Files.isRegularFile(p)
                      && p.toString().endsWith(".parquet"))
          .toList();
    }
  }

  @Test
  void theSandwichRunsEagerAndLazyThroughS3() throws Exception {
    Map<String, String> before = foreignObjects();
    Dataset<Row> df = sample();
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      DuckDbFrame eager = spill.sparkToEngine(df, ToEngine.eager());
      assertThat(eager.count()).isEqualTo(2000);
      assertThat(stagedFiles()).as("an eager read removes its staged copies at once").isEmpty();
      DuckDbFrame lazy = spill.sparkToEngine(df, ToEngine.lazy());
      assertThat(stagedFiles()).as("a lazy frame scans staged copies").isNotEmpty();
      DuckDbFrame sums = lazy.sql("SELECT sum(id) AS total, count(*) AS n FROM this");
      assertThat(spill.engineToSpark(sums).collectAsList().get(0).getLong(1)).isEqualTo(2000);
      assertSameDataNullabilityAside(df, spill.engineToSpark(eager));
      assertSameDataNullabilityAside(df, spill.engineToSpark(lazy));
      SpillStore store = spill.store(Storage.VOLUME);
      assertThat(store).isInstanceOf(S3SpillStore.class);
      assertThat(store.list("_spill/runs/" + spill.runId() + "/frames")).isNotEmpty();
    }
    assertThat(stagedFiles()).as("teardown removes the staging cache").isEmpty();
    assertThat(foreignObjects()).isEqualTo(before);
    assertThat(objects().keySet()).noneMatch(k -> k.contains("/_spill/runs/2"));
    Map<String, String> conf =
        scala.jdk.javaapi.CollectionConverters.asJava(spark().conf().getAll());
    assertThat(conf)
        .as("the session's settings are untouched")
        .allSatisfy(
            (k, v) -> {
              assertThat(k).doesNotContain(bucket);
              assertThat(v).doesNotContain(S3TestServer.SECRET_KEY);
            });
    assertThat(
            spark()
                .sparkContext()
                .hadoopConfiguration()
                .get("fs.s3a.bucket." + bucket + ".endpoint"))
        .isNull();
  }

  @Test
  void checkpointsCommitOnS3AndTeardownKeepsOrRestoresThemByMode() {
    Map<String, String> before = foreignObjects();
    Dataset<Row> df = sample();
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      spill.saveCheckpointSpark(df, "orders");
      DuckDbFrame frame = spill.loadCheckpointFrame("orders");
      spill.saveCheckpointFrame(frame.sql("SELECT * FROM this WHERE flag"), "flagged");
      assertThat(spill.listCheckpoints()).containsExactly("flagged", "orders");
      assertSameDataNullabilityAside(df, spill.loadCheckpointSpark("orders"));
      assertThat(spill.loadCheckpointSpark("flagged").count()).isEqualTo(667);
      assertThat(spill.scanCheckpointFrame("flagged").count()).isEqualTo(667);
      // the driver-local storage works beside S3
      spill.saveCheckpointFrame(frame, "local_copy", Storage.LOCAL);
      assertThat(spill.listCheckpoints(Storage.LOCAL)).containsExactly("local_copy");
    }
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      assertThat(spill.listCheckpoints())
          .as("DEV keeps checkpoints for the next run")
          .containsExactly("flagged", "orders");
      assertThat(spill.loadCheckpointFrame("flagged").count()).isEqualTo(667);
    }
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.PROD)) {
      spill.saveCheckpointSpark(df.limit(5), "orders");
      spill.saveCheckpointSpark(df.limit(7), "prod_only");
      assertThat(spill.loadCheckpointSpark("orders").count()).isEqualTo(5);
      assertThat(spill.deleteCheckpoint("flagged")).isTrue();
    }
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      assertThat(spill.listCheckpoints())
          .as(
              "PROD put back what it overwrote, removed what it"
                  + " made, and kept its deliberate delete")
          .containsExactly("orders");
      assertSameDataNullabilityAside(df, spill.loadCheckpointSpark("orders"));
      assertThat(spill.deleteCheckpoint("orders")).isTrue();
    }
    assertThat(foreignObjects()).isEqualTo(before);
    assertThat(objects().keySet())
        .as("only the teammate's files are left")
        .containsExactlyInAnyOrderElementsOf(before.keySet());
  }

  @Test
  void aStoreTheUserOpenedWorksThroughStoreSpillStore() {
    S3SpillStore store =
        S3SpillStore.open("s3://" + bucket + "/" + prefix, S3TestServer.get().settings());
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark())
            .engine(DuckDbEngine.create())
            .store(store)
            .localDir(local)
            .mode(Mode.PROD)
            .shutdownHook(false)
            .build()) {
      assertThat(spill.sparkToEngine(sample(), ToEngine.lazy()).count()).isEqualTo(2000);
      assertThat(spill.store(Storage.VOLUME)).isSameAs(store);
    }
    assertThat(objects().keySet())
        .as("PROD left only the teammate's files")
        .containsExactlyInAnyOrderElementsOf(foreignObjects().keySet());
  }

  @Test
  void aFailedSaveLeavesThePreviousCheckpointReadableAndListsNothingNew() {
    Dataset<Row> df = sample();
    try (VolumeSpiller<DuckDbFrame> spill = spiller(Mode.DEV)) {
      spill.saveCheckpointSpark(df, "orders");
      Dataset<Row> failing =
          df.selectExpr("id", "CASE WHEN id = 1999 THEN raise_error('boom') ELSE name END AS name");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> spill.saveCheckpointSpark(failing, "orders"))
          .hasMessageContaining("previous checkpoint of that name, if any, is unchanged");
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> spill.saveCheckpointSpark(failing, "fresh"));
      assertThat(spill.listCheckpoints()).containsExactly("orders");
      assertSameDataNullabilityAside(df, spill.loadCheckpointSpark("orders"));
      assertThat(spill.store(Storage.VOLUME).list("_spill/checkpoints/orders"))
          .extracting(StoreEntry::name)
          .filteredOn(n -> n.startsWith("data-"))
          .hasSize(1);
    }
  }
}
