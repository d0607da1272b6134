package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.spill.PurgeReport;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.ReliabilityReport;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 server dies in the middle of a save, through Spark's s3a and through spill's own client:
 * the save fails instead of hanging, within a bound derived from {@code s3.timeout} (a generous
 * multiple: the point is minutes against forever, not seconds), the version committed before loads
 * whole once the server is back, and purge removes whatever the attempts left, multipart uploads
 * included. The server "dies" as a proxy in front of s3proxy that closes every connection and stops
 * listening, then listens again on the same port.
 */
class S3ServerDiesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /**
   * Every layer's attempts with a refused connection take well under a second each; a save makes a
   * few dozen requests. 60 timeouts is far above that and far below the many minutes s3a's own
   * defaults keep a save going.
   */
  private static final Duration BOUND = TIMEOUT.multipliedBy(60);

  @TempDir Path local;

  /** One row of the report per case, in the order the cases ran. */
  private static final Map<String, String> ROWS = new java.util.LinkedHashMap<>();

  private static Map<String, String> options(DyingProxy proxy) {
    Map<String, String> o = new java.util.LinkedHashMap<>(S3TestServer.get().options());
    o.put("s3.endpoint", "http://127.0.0.1:" + proxy.port());
    o.put("s3.timeout", TIMEOUT.toSeconds() + "s");
    o.put("s3.part-size", String.valueOf(5L << 20));
    return o;
  }

  private VolumeSpiller<DuckDbFrame> spiller(String bucket, DyingProxy proxy) {
    return VolumeSpiller.builder(SparkTestSession.get())
        .engine(DuckDbEngine.create())
        .store("s3://" + bucket + "/p")
        .options(options(proxy))
        .localDir(local)
        .shutdownHook(false)
        .build();
  }

  @Test
  void aSparkSaveOnADyingServerFailsInBoundedTimeAndTheOldVersionStays() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    Dataset<Row> v1 = SparkTestSession.get().range(100).selectExpr("id", "'v1' AS v");
    Dataset<Row> v2 = SparkTestSession.get().range(5000).selectExpr("id", "'v2' AS v");
    try (DyingProxy proxy = new DyingProxy(S3TestServer.get().endpoint().getPort())) {
      Duration took;
      try (VolumeSpiller<DuckDbFrame> spill = spiller(bucket, proxy)) {
        spill.saveCheckpointSpark(v1, "daily");
        proxy.dieAt("PUT /" + bucket + "/p/_spill/checkpoints/daily/data-");
        took = failsWithinBound(() -> spill.saveCheckpointSpark(v2, "daily"));
        assertThat(proxy.awaitDeath()).isTrue();
        proxy.revive();
        SparkSamples.assertSameData(v1, spill.loadCheckpointSpark("daily"));
      }
      int purged = purgeLeavesOnlyTheCommittedVersion(bucket, proxy);
      report("`saveCheckpointSpark` (Spark's s3a), at its first data `PUT`", took, purged);
    }
  }

  @Test
  void aFrameSaveOnADyingServerFailsInBoundedTimeAndTheOldVersionStays() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    Dataset<Row> v1 = SparkTestSession.get().range(100).selectExpr("id", "'v1' AS v");
    // random-looking text: a Parquet file of several parts of 5 MiB, whatever the compression
    Dataset<Row> big =
        SparkTestSession.get()
            .range(0, 300_000, 1, 2)
            .selectExpr(
                "id",
                "sha2(CAST(id AS STRING), 256) AS a",
                "sha2(CAST(id * 7 AS STRING), 256) AS b");
    try (DyingProxy proxy = new DyingProxy(S3TestServer.get().endpoint().getPort())) {
      Duration took;
      try (VolumeSpiller<DuckDbFrame> spill = spiller(bucket, proxy)) {
        spill.saveCheckpointSpark(v1, "daily");
        DuckDbFrame frame = spill.sparkToEngine(big, ToEngine.eager());
        proxy.dieAt("partNumber=2");
        took = failsWithinBound(() -> spill.saveCheckpointFrame(frame, "daily"));
        assertThat(proxy.awaitDeath()).isTrue();
        proxy.revive();
        SparkSamples.assertSameData(v1, spill.loadCheckpointSpark("daily"));
        assertThat(S3TestServer.get().admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
            .as("the dead server kept the upload that could not be aborted")
            .isNotEmpty();
      }
      int purged = purgeLeavesOnlyTheCommittedVersion(bucket, proxy);
      assertThat(purged).as("the upload the dead server kept open was purged").isPositive();
      report(
          "`saveCheckpointFrame` (spill's client), at part 2 of a multipart upload", took, purged);
    }
  }

  private static void report(String save, Duration took, int purged) {
    ROWS.put(
        save,
        String.format(
            java.util.Locale.ROOT,
            "| %s | %.1f s | %d s | yes | %d |",
            save,
            took.toMillis() / 1000.0,
            BOUND.toSeconds(),
            purged));
    ReliabilityReport.record(
        "S3: the server dies during a save",
        "`S3ServerDiesTest` in `spill-storage-s3`: the S3 server (s3proxy behind a proxy that closes"
            + " every connection and stops listening) dies in the middle of a save over a committed"
            + " version, with `s3.timeout` = "
            + TIMEOUT.toSeconds()
            + " s. The save must fail, not hang; once the server is back the old version must load"
            + " whole, and what the attempts left must be gone after the run's own teardown and another run's purge (only the committed version is left).\n\n"
            + "| save, and where the server died | failed after | bound | old version loaded |"
            + " leftovers purged (incomplete uploads included) |\n"
            + "|---|---:|---:|---|---:|\n"
            + String.join("\n", ROWS.values()));
  }

  /**
   * {@code s3.timeout} bounds each attempt of a request and a silent connection, not a transfer: a
   * file that takes several timeouts to arrive over a slow link downloads whole, where a bound on
   * the whole call failed every attempt.
   */
  @Test
  void aLargeFileOnASlowLinkIsNotCutByTheTimeout() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    byte[] content = new byte[3 << 20];
    new java.util.Random(7).nextBytes(content);
    S3TestServer.get()
        .admin()
        .putObject(
            b -> b.bucket(bucket).key("p/big.bin"),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
    try (DyingProxy proxy = new DyingProxy(S3TestServer.get().endpoint().getPort())) {
      Map<String, String> o = options(proxy);
      o.put("s3.timeout", "1s");
      try (S3SpillStore store = S3SpillStore.open("s3://" + bucket + "/p", S3Settings.from(o))) {
        proxy.slowAnswers(8); // 384 chunks of 8 KiB: about 3 s, three times the timeout
        Path target = local.resolve("big.bin");
        long start = System.nanoTime();
        store.download(Map.of("big.bin", target));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(java.nio.file.Files.readAllBytes(target)).isEqualTo(content);
        assertThat(took)
            .as("the download outlasted the timeout")
            .isGreaterThan(Duration.ofSeconds(2));
      }
    }
  }

  /** Runs the save, asserts it fails within {@link #BOUND}, returns how long it took. */
  private static Duration failsWithinBound(Runnable save) throws InterruptedException {
    long start = System.nanoTime();
    CompletableFuture<Void> call = CompletableFuture.runAsync(save);
    try {
      call.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      fail("the save succeeded although the server died during it");
    } catch (TimeoutException e) {
      fail("the save had not returned after " + BOUND + " on a dead server");
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .as("the error says the store could not be reached")
          .isInstanceOf(io.spill.spi.SpillException.class);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Another run's purge, once the failed run ended: only the committed version is left. Returns how
   * many leftovers it removed.
   */
  private int purgeLeavesOnlyTheCommittedVersion(String bucket, DyingProxy proxy) {
    try (VolumeSpiller<DuckDbFrame> other = spiller(bucket, proxy)) {
      PurgeReport report = other.purgeStaleRuns(Duration.ofMinutes(5));
      assertThat(report.problems()).isEmpty();
      List<String> keys =
          S3TestServer.get()
              .admin()
              .listObjectsV2(b -> b.bucket(bucket).prefix("p/_spill/checkpoints/"))
              .contents()
              .stream()
              .map(S3Object::key)
              .toList();
      String manifest = "p/_spill/checkpoints/daily/_manifest.json";
      assertThat(keys).contains(manifest);
      String named =
          new String(
              S3TestServer.get()
                  .admin()
                  .getObjectAsBytes(b -> b.bucket(bucket).key(manifest))
                  .asByteArray(),
              java.nio.charset.StandardCharsets.UTF_8);
      assertThat(keys)
          .as("nothing but the manifest and the data folder it names")
          .allSatisfy(
              k ->
                  assertThat(
                          k.equals(manifest)
                              || named.contains(
                                  "\""
                                      + k.substring("p/_spill/checkpoints/daily/".length())
                                          .split("/")[0]
                                      + "\""))
                      .as(k)
                      .isTrue());
      assertThat(S3TestServer.get().admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .as("purge aborted the upload the dead server kept open")
          .isEmpty();
      return report.orphanedData().size() + report.runs().size();
    }
  }
}
