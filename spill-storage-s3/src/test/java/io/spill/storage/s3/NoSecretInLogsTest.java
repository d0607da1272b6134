package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No credential in any log line: a sandwich, a checkpoint, Spark's plans and a refused credential
 * are logged (spill at DEBUG, Spark, Hadoop and the AWS SDK at INFO) to {@code
 * target/test-logs/all.log}, which then holds neither the secret key nor a session token.
 */
class NoSecretInLogsTest {
  private static final String TOKEN = "spill-test-SESSION-TOKEN-55aa";

  @TempDir Path local;

  @Test
  void neitherTheSecretNorTheTokenIsLogged() throws Exception {
    String bucket = S3TestServer.get().newBucket();
    var spark = SparkTestSession.get();
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NoSecretInLogsTest.class);
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store("s3://" + bucket + "/logs")
            .options(S3TestServer.get().options())
            .localDir(local)
            .mode(Mode.PROD)
            .shutdownHook(false)
            .build()) {
      var df = spark.sql("SELECT id FROM range(100)");
      DuckDbFrame frame = spill.sparkToEngine(df, ToEngine.eager());
      // Spark's plans name each read's options: Spark redacts secrets in them
      log.info("plan: {}", spill.engineToSpark(frame).queryExecution());
      spill.saveCheckpointSpark(df, "logged");
      log.info("plan: {}", spill.loadCheckpointSpark("logged").queryExecution());
    }
    // temporary credentials: s3a gets the token too (s3proxy does not check it)
    Map<String, String> withToken = new LinkedHashMap<>(S3TestServer.get().options());
    withToken.put("s3.session-token", TOKEN);
    try (VolumeSpiller<DuckDbFrame> spill =
        VolumeSpiller.builder(spark)
            .engine(DuckDbEngine.create())
            .store("s3://" + bucket + "/token")
            .options(withToken)
            .localDir(local)
            .mode(Mode.PROD)
            .shutdownHook(false)
            .build()) {
      log.info(
          "plan: {}",
          spill
              .engineToSpark(spill.sparkToEngine(spark.range(5).toDF(), ToEngine.eager()))
              .queryExecution());
    }
    // a refused credential, and its error logged whole
    Map<String, String> wrong = new LinkedHashMap<>(S3TestServer.get().options());
    wrong.put("s3.secret-access-key", S3TestServer.SECRET_KEY + "-but-wrong");
    log.warn(
        "refused",
        org.assertj.core.api.Assertions.catchThrowable(
            () -> S3SpillStore.open("s3://" + bucket, S3Settings.from(wrong))));

    Path file = Path.of("target/test-logs/all.log");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text)
        .as("the log captured spill's lines, plans and the error")
        .contains("spill: checkpoint 'logged'")
        .contains("== Physical Plan ==")
        .contains("StorageAccessException");
    assertThat(text).doesNotContain(S3TestServer.SECRET_KEY).doesNotContain(TOKEN);
  }
}
