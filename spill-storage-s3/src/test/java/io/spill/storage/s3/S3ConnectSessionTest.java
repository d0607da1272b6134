package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkConnectTestSession;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store through a real Spark Connect session (a Connect server in this JVM on the port the
 * build reserved, reached over gRPC): the server's session has no s3a settings at all, so Spark
 * reaches the bucket only through the per-bucket options spill passes with each read and write, and
 * afterwards neither the session nor the server's Hadoop configuration holds them.
 */
class S3ConnectSessionTest {
  @TempDir Path local;

  @Test
  void aConnectSessionReachesTheBucketThroughPerBucketOptionsOnly() {
    SparkSession spark = SparkConnectTestSession.connect();
    assertThat(spark.getClass().getName()).startsWith("org.apache.spark.sql.connect.");
    String bucket = S3TestServer.get().newBucket(); // no s3a file system for it exists yet
    Dataset<Row> df =
        spark.sql(
            "SELECT id, concat('n', id) AS name,"
                + " TIMESTAMP '2024-01-01 00:00:00' + make_dt_interval(0, 0, id) AS ts FROM range(500)");
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store("s3a://" + bucket + "/connect")
            .options(S3TestServer.get().options())
            .localDir(local)
            .mode(Mode.PROD)
            .shutdownHook(false)
            .build()) {
      DuckDbFrame eager = spill.sparkToEngine(df, ToEngine.eager());
      DuckDbFrame lazy = spill.sparkToEngine(df, ToEngine.lazy());
      assertThat(eager.count()).isEqualTo(500);
      assertThat(spill.engineToSpark(lazy.sql("SELECT * FROM this WHERE id < 10")).count())
          .isEqualTo(10);
      spill.saveCheckpointSpark(df, "connect_cp");
      assertThat(spill.loadCheckpointFrame("connect_cp").count()).isEqualTo(500);
      assertThat(spill.loadCheckpointSpark("connect_cp").collectAsList())
          .containsExactlyInAnyOrderElementsOf(df.collectAsList());
    }
    Map<String, String> conf = scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll());
    assertThat(conf)
        .allSatisfy(
            (k, v) -> {
              assertThat(k).doesNotContain(bucket);
              assertThat(v).doesNotContain(S3TestServer.SECRET_KEY);
            });
    assertThat(
            SparkTestSession.get()
                .sparkContext()
                .hadoopConfiguration()
                .get("fs.s3a.bucket." + bucket + ".secret.key"))
        .isNull();
    assertThat(S3TestServer.get().admin().listObjectsV2(b -> b.bucket(bucket)).contents())
        .as("PROD teardown left nothing of spill's")
        .isEmpty();
  }
}
