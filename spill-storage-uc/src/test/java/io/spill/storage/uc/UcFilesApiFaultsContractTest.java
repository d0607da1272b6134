package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.spi.SqlRunner;
import io.spill.spi.StorageAccessException;
import io.spill.testkit.SparkTestSession;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Files API's failure modes, injected by the fake workspace on 127.0.0.1: throttling and server
 * errors, a connection closed before any answer, a body cut mid-way, an upload the server stores
 * empty while it reports success, a server that stops answering, a wrong token. spill retries with
 * fresh streams, checks every length, and gives up in bounded time with an error that says what
 * failed, never with the token in it.
 */
class UcFilesApiFaultsContractTest {
  private static final String VOLUME = "/Volumes/main/team_a/faults";

  @TempDir Path temp;
  private UcFixture fixture;
  private UcVolumeStore store;
  private final byte[] content = new byte[1001];

  @BeforeEach
  void start() throws Exception {
    fixture = new UcFixture(temp);
    Files.createDirectories(fixture.volumes.resolve("main/team_a/faults"));
    new Random(7).nextBytes(content);
    store = UcVolumeStore.open(VOLUME, fixture.settings("api"), (SqlRunner) null);
  }

  @AfterEach
  void stop() {
    store.close();
    fixture.close();
  }

  private Path stored(String file) {
    return fixture.volumes.resolve("main/team_a/faults").resolve(file);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 500, 503})
  void throttlingAndServerErrorsAreRetriedWithAFreshBody(int status) throws Exception {
    fixture.workspace.inject("PUT", "/x.bin", new FakeWorkspace.Status(status));
    fixture.workspace.inject("PUT", "/x.bin", new FakeWorkspace.Status(status));
    store.write("x.bin", content);
    assertThat(Files.readAllBytes(stored("x.bin"))).isEqualTo(content);
    assertThat(fixture.workspace.count("PUT", "/x.bin")).isEqualTo(3);

    fixture.workspace.inject("GET", "/x.bin", new FakeWorkspace.Status(status));
    assertThat(store.read("x.bin")).isEqualTo(content);
    Path target = temp.resolve("down.bin");
    fixture.workspace.inject("GET", "/x.bin", new FakeWorkspace.Status(status));
    store.download(Map.of("x.bin", target));
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(fixture.workspace.pendingFaults()).isZero();
  }

  @Test
  void anUploadTheServerStoredEmptyIsCaughtByTheSizeCheckAndSentAgain() throws Exception {
    Path source = temp.resolve("part-0.parquet");
    Files.write(source, content);
    fixture.workspace.inject("PUT", "/up/part-0.parquet", new FakeWorkspace.StoreEmpty());
    store.upload(Map.of(source, "up/part-0.parquet"));
    assertThat(Files.readAllBytes(stored("up/part-0.parquet"))).isEqualTo(content);
    assertThat(fixture.workspace.count("PUT", "/up/part-0.parquet")).isEqualTo(2);
    assertThat(fixture.workspace.count("HEAD", "/up/part-0.parquet"))
        .as("each upload's size is read back")
        .isEqualTo(2);
  }

  @Test
  void theSdkAloneTakesACutBodyForAWholeOneButSpillDoesNot() throws Exception {
    Files.write(stored("cut.bin"), content);
    // the trap: through the SDK, a body cut at 500 of 1001 bytes reads as a normal end of file
    WorkspaceClient sdk =
        new WorkspaceClient(
            new DatabricksConfig()
                .setHost(fixture.workspace.host())
                .setToken(UcFixture.TOKEN)
                .setAuthType("pat"));
    fixture.workspace.inject("GET", "/cut.bin", new FakeWorkspace.Truncate());
    byte[] seenBySdk;
    try (InputStream in = sdk.files().download(VOLUME + "/cut.bin").getContents()) {
      seenBySdk = in.readAllBytes();
    }
    assertThat(seenBySdk).hasSize(500);

    fixture.workspace.inject("GET", "/cut.bin", new FakeWorkspace.Truncate());
    assertThat(store.read("cut.bin")).isEqualTo(content);
    fixture.workspace.inject("GET", "/cut.bin", new FakeWorkspace.Truncate());
    fixture.workspace.inject("GET", "/cut.bin", new FakeWorkspace.Reset());
    Path target = temp.resolve("cut-copy.bin");
    store.download(Map.of("cut.bin", target));
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    // the SDK's one read, spill's read (cut, whole), spill's download (cut, reset, whole)
    assertThat(fixture.workspace.count("GET", "/cut.bin")).isEqualTo(6);
  }

  @Test
  void aRangeReadCutShortIsReadAgain() throws Exception {
    Files.write(stored("footer.bin"), content);
    fixture.workspace.inject("GET", "/footer.bin", new FakeWorkspace.Truncate());
    assertThat(store.read("footer.bin", 901, 100))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 901, 1001));
    assertThat(fixture.workspace.count("GET", "/footer.bin")).isEqualTo(2);
    assertThatThrownBy(() -> store.read("footer.bin", 950, 100))
        .hasMessageContaining("ends before 100 bytes at offset 950");
  }

  @Test
  void aConnectionClosedBeforeAnswerIsRetriedOnEveryKindOfRequest() throws Exception {
    for (String method : new String[] {"PUT", "HEAD", "GET", "DELETE"}) {
      fixture.workspace.inject(method, "/a/x.bin", new FakeWorkspace.Reset());
    }
    fixture.workspace.inject(
        "GET", "/api/2.0/fs/directories/Volumes/main/team_a/faults/a", new FakeWorkspace.Reset());
    store.write("a/x.bin", content);
    assertThat(store.read("a/x.bin")).isEqualTo(content);
    assertThat(store.list("a"))
        .extracting(e -> e.name() + " " + e.size())
        .containsExactly("x.bin 1001");
    assertThat(store.deleteFile("a/x.bin")).isTrue();
    assertThat(stored("a/x.bin")).doesNotExist();
    assertThat(fixture.workspace.pendingFaults()).isZero();
    assertThat(fixture.workspace.seen()).filteredOn(s -> s.status() == -1).hasSize(5);
  }

  /**
   * Gives up after a bounded number of attempts once {@code uc.retry-timeout} has passed. The
   * wall-clock bound is ten times that timeout, generous for a loaded machine; the attempts are
   * counted exactly.
   */
  @Test
  void aServerThatKeepsFailingGivesUpWithinTheRetryTimeoutSayingWhatFailed() {
    Duration retry = Duration.ofSeconds(2);
    UcVolumeStore quick =
        UcVolumeStore.open(
            VOLUME, UcSettings.from(withRetryTimeout(retry.toSeconds() + "s")), (SqlRunner) null);
    for (int i = 0; i < 50; i++) {
      fixture.workspace.inject("PUT", "/never.bin", new FakeWorkspace.Status(503));
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.write("never.bin", content))
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("write /Volumes/main/team_a/faults/never.bin failed")
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("uc.retry-timeout")
        .hasMessageNotContaining(UcFixture.TOKEN);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(retry.multipliedBy(10));
    assertThat(fixture.workspace.count("PUT", "/never.bin")).isBetween(3L, 10L);
    assertThat(stored("never.bin")).doesNotExist();
    quick.close();
  }

  /**
   * Each attempt is cut at a third of {@code uc.retry-timeout}: three attempts against a server
   * that answers only after a minute give up long before a single answer would come. The bound (ten
   * times the retry timeout) is generous for a loaded machine and still half the time one uncut
   * attempt would wait.
   */
  @Test
  void aServerThatStopsAnsweringFailsInBoundedTime() {
    Duration retry = Duration.ofSeconds(3);
    Duration answerAfter = Duration.ofMinutes(1);
    UcVolumeStore quick =
        UcVolumeStore.open(
            VOLUME, UcSettings.from(withRetryTimeout(retry.toSeconds() + "s")), (SqlRunner) null);
    for (int i = 0; i < 10; i++) {
      fixture.workspace.inject("GET", "/hang.bin", new FakeWorkspace.Delay(answerAfter.toMillis()));
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.read("hang.bin"))
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("read /Volumes/main/team_a/faults/hang.bin failed 3 times");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(retry.multipliedBy(10))
        .isLessThan(answerAfter);
    assertThat(fixture.workspace.count("GET", "/hang.bin")).isEqualTo(3);
    quick.close();
  }

  /**
   * A refused token is not retried: the build fails after a handful of requests (counted), and well
   * within a minute, which is generous for a loaded machine.
   */
  @Test
  void aWrongTokenFailsTheBuildWithinSecondsAboutAuthenticationAndNeverShowsTheToken() {
    String wrong = "dapi-wrong-token-fedcba9876543210";
    Map<String, String> options = new java.util.LinkedHashMap<>(fixture.options("api"));
    options.put("uc.token", wrong);
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(SparkTestSession.get())
                    .engine(DuckDbEngine.create())
                    .store(VOLUME)
                    .options(options)
                    .localDir(temp.resolve("local"))
                    .shutdownHook(false)
                    .build())
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("Databricks refused the credentials (HTTP 401)")
        .hasMessageContaining("uc.token")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(UcFixture.TOKEN);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    assertThat(fixture.workspace.seen())
        .as("the wrong token was sent, and refused, not retried")
        .filteredOn(s -> s.status() == 401 && ("Bearer " + wrong).equals(s.authorization()))
        .hasSizeBetween(1, 2);
  }

  @Test
  void withNoWorkspaceConfiguredTheErrorNamesTheSettings() {
    // the test JVM has no DATABRICKS_* variables and a home without ~/.databrickscfg
    Map<String, String> options = new java.util.LinkedHashMap<>(fixture.options("api"));
    options.remove("uc.host");
    options.remove("uc.token");
    assertThat(System.getenv("DATABRICKS_HOST")).isNullOrEmpty();
    assertThatThrownBy(
            () ->
                UcVolumeStore.open(VOLUME, UcSettings.from(options), (SqlRunner) null)
                    .createContainerIfMissing())
        .hasMessageContaining("uc.host")
        .hasMessageContaining("DATABRICKS_HOST");
  }

  private Map<String, String> withRetryTimeout(String timeout) {
    Map<String, String> options = new java.util.LinkedHashMap<>(fixture.options("api"));
    options.put("uc.retry-timeout", timeout);
    return options;
  }
}
