package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkSamples;
import io.spill.testkit.SparkTestSession;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop caches one file system per scheme, bucket and user, and hands it to every later caller
 * whatever settings they pass. spill's s3a settings must reach spill's I/O and nothing else: in
 * either order, the user's own {@code s3a://} file system and spill's never share an instance. Each
 * test has a bucket of its own, so no other test's cached file system is in the way.
 */
class S3FileSystemCacheTest {
  @TempDir Path local;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private VolumeSpiller<DuckDbFrame> spiller(String bucket) {
    return VolumeSpiller.builder(spark())
        .engine(DuckDbEngine.create())
        .store("s3://" + bucket + "/spill")
        .options(S3TestServer.get().options())
        .localDir(local)
        .shutdownHook(false)
        .build();
  }

  /** The session's Hadoop settings plus this bucket on the test server, with someone's keys. */
  private static Configuration usersOwn(String bucket, String accessKey, String secretKey) {
    Configuration conf = new Configuration(spark().sparkContext().hadoopConfiguration());
    String p = "fs.s3a.bucket." + bucket + ".";
    conf.set(p + "endpoint", S3TestServer.get().endpoint().toString());
    conf.set(p + "endpoint.region", "us-east-1");
    conf.set(p + "connection.ssl.enabled", "false");
    conf.set(p + "path.style.access", "true");
    conf.set(p + "access.key", accessKey);
    conf.set(p + "secret.key", secretKey);
    conf.set(
        p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set(p + "attempts.maximum", "1");
    conf.set(p + "retry.limit", "0");
    return conf;
  }

  @Test
  void theUsersOwnS3aFileSystemCannotUseTheKeysSpillWasGiven() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    Dataset<Row> df = spark().range(20).selectExpr("id", "id * 2 AS twice");
    try (VolumeSpiller<DuckDbFrame> spill = spiller(bucket)) {
      spill.saveCheckpointSpark(df, "daily");
      SparkSamples.assertSameData(df, spill.loadCheckpointSpark("daily"));

      // The user opens the same bucket with the session's settings: not spill's keys.
      Configuration conf = usersOwn(bucket, "someone-else", "not-the-secret");
      FileSystem users = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
      try {
        assertThatThrownBy(() -> users.listStatus(new org.apache.hadoop.fs.Path("/spill/_spill")))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("403");
      } finally {
        users.close();
      }
    }
  }

  @Test
  void spillWorksOnABucketTheUsersCodeOpenedFirstWithOtherSettings() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    Configuration conf = usersOwn(bucket, "someone-else", "not-the-secret");
    FileSystem users = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
    try {
      assertThatThrownBy(() -> users.listStatus(new org.apache.hadoop.fs.Path("/")))
          .isInstanceOf(IOException.class);
      Dataset<Row> df = spark().range(30).selectExpr("id", "CAST(id AS STRING) AS s");
      try (VolumeSpiller<DuckDbFrame> spill = spiller(bucket)) {
        spill.saveCheckpointSpark(df, "daily");
        SparkSamples.assertSameData(df, spill.loadCheckpointSpark("daily"));
        SparkSamples.assertSameData(
            df, spill.engineToSpark(spill.sparkToEngine(df, ToEngine.eager())));
      }
    } finally {
      users.close();
    }
  }
}
