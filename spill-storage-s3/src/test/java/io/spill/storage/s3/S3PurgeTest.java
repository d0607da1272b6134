package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.PurgeReport;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * What a killed writer leaves on S3, and purge: a save's pending marker with no data object, and
 * multipart uploads it started and never completed (its parts stay in the bucket, and on the bill,
 * until aborted). Purge removes both once the writer's lease is gone, and never a live run's.
 */
class S3PurgeTest {
  private static final String STALE = "20200101T000000000Z-0a0b0c0d";
  @TempDir static Path LOCAL;

  @Test
  void aKilledWritersPendingMarkerAndOpenUploadsGoAndALiveRunsStay() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    S3Client admin = S3TestServer.get().admin();
    put(
        admin,
        bucket,
        "p/_spill/runs/" + STALE + "/_run.json",
        lease(STALE, "2020-01-01T00:00:00Z"));
    String data = "data-" + STALE + "-0123456789abcdef";
    put(admin, bucket, "p/_spill/checkpoints/cp/.pending-" + data, "");
    String staleFrame = "p/_spill/runs/" + STALE + "/frames/x/part-00000.parquet";
    String staleData = "p/_spill/checkpoints/cp/" + data + "/part-00000.parquet";
    String foreign = "p/elsewhere/big.bin";
    for (String key : List.of(staleFrame, staleData, foreign)) {
      admin.createMultipartUpload(b -> b.bucket(bucket).key(key));
    }
    try (VolumeSpiller<DuckDbFrame> live = spiller(bucket);
        VolumeSpiller<DuckDbFrame> purging = spiller(bucket)) {
      String liveFrame = "p/_spill/runs/" + live.runId() + "/frames/y/part-00000.parquet";
      admin.createMultipartUpload(b -> b.bucket(bucket).key(liveFrame));
      PurgeReport report = purging.purgeStaleRuns(Duration.ofMinutes(5));
      assertThat(report.problems()).isEmpty();
      assertThat(report.orphanedData())
          .anyMatch(o -> o.contains(".pending-" + data))
          .anyMatch(o -> o.endsWith("frames/x/part-00000.parquet (incomplete upload)"))
          .anyMatch(o -> o.endsWith(data + "/part-00000.parquet (incomplete upload)"));
      assertThat(
              admin.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                  .map(MultipartUpload::key))
          .as("a live run's upload and one outside _spill/ stay")
          .containsExactlyInAnyOrder(liveFrame, foreign);
      assertThat(
              admin.listObjectsV2(b -> b.bucket(bucket).prefix("p/_spill/checkpoints/")).contents())
          .as("the pending marker of the killed save is gone")
          .isEmpty();
    }
  }

  private static VolumeSpiller<DuckDbFrame> spiller(String bucket) {
    return VolumeSpiller.builder(SparkTestSession.get(), DuckDbEngine.create())
        .store("s3://" + bucket + "/p")
        .options(S3TestServer.get().options())
        .localDir(LOCAL)
        .mode(Mode.DEV)
        .shutdownHook(false)
        .build();
  }

  private static String lease(String run, String heartbeat) {
    return "{\"formatVersion\":1,\"runId\":\""
        + run
        + "\",\"mode\":\"DEV\",\"startedAt\":\""
        + heartbeat
        + "\",\"heartbeatAt\":\""
        + heartbeat
        + "\",\"pins\":[],\"host\":\"h\","
        + "\"pid\":1,\"user\":\"u\",\"ending\":false}";
  }

  private static void put(S3Client admin, String bucket, String key, String content) {
    admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
  }
}
