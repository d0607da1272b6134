package io.spill.storage.uc;

import static io.spill.testkit.SparkSamples.assertSameDataNullabilityAside;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.testkit.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandwich end to end off cluster on a real local Spark and DuckDB, against the fake Databricks
 * workspace on 127.0.0.1 (Files API and volumes API, as published), in both ways the driver reaches
 * the files: Spark writes its {@code /Volumes} paths (a local folder the fake workspace serves),
 * DuckDB reads the mount or copies staged through the Files API.
 */
class UcSandwichContractTest {
  /** A teammate's files, planted before spill runs: they must be exactly the same afterwards. */
  private static final List<String> FOREIGN =
      List.of(
          "teammate/report.csv",
          "stream/_checkpoint/offsets/0",
          "_spill/checkpoints/orders/notes-from-a-teammate.txt",
          "_spill/runs/not-a-run.txt",
          "spill/beside-the-prefix.txt");

  @TempDir Path temp;
  private UcFixture fixture;
  private Path shared;

  @BeforeEach
  void plantForeignFiles() throws IOException {
    fixture = new UcFixture(temp);
    shared = fixture.volumes.resolve("main/team_a/shared");
    for (String f : FOREIGN) {
      Path p = shared.resolve(f.startsWith("spill/") ? f : "jobs/" + f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "foreign " + f);
    }
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private VolumeSpiller<DuckDbFrame> spiller(String access, String location, Mode mode) {
    return VolumeSpiller.builder(spark())
        .engine(DuckDbEngine.create())
        .store(location)
        .options(fixture.options(access))
        .option("duckdb.threads", "2")
        .localDir(temp.resolve("local"))
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
                + " DATE '1999-12-31' AS d, named_struct('a', id, 'b', array(id, id + 1)) AS s,"
                + " map('k', CAST(id AS STRING)) AS m FROM range(0, 2000, 1, 3)");
  }

  /** Every file in the volume {@code shared}, with its content. */
  private Map<String, String> files(Path volume) throws IOException {
    Map<String, String> all = new TreeMap<>();
    if (!Files.exists(volume)) {
      return all;
    }
    try (Stream<Path> s = Files.walk(volume)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        all.put(volume.relativize(p).toString(), Files.readString(p));
      }
    }
    return all;
  }

  @ParameterizedTest(name = "uc.files={0}")
  @ValueSource(strings = {"api", "mount"})
  void theSandwichAndCheckpointsRunInAVolumeOfTeammatesAndLeaveTheirFilesAlone(String access)
      throws IOException {
    Map<String, String> before = files(shared);
    String location = UcFixture.location("shared") + "/jobs";
    Dataset<Row> df = sample();
    try (VolumeSpiller<DuckDbFrame> spill = spiller(access, location, Mode.DEV)) {
      UcVolumeStore store = (UcVolumeStore) spill.store(Storage.VOLUME);
      assertThat(store.fileAccess().name()).isEqualToIgnoringCase(access);
      DuckDbFrame eager = spill.sparkToEngine(df, ToEngine.eager());
      assertThat(eager.count()).isEqualTo(2000);
      DuckDbFrame lazy = spill.sparkToEngine(df, ToEngine.lazy());
      assertSameDataNullabilityAside(df, spill.engineToSpark(eager));
      assertSameDataNullabilityAside(df, spill.engineToSpark(lazy.sql("SELECT * FROM this")));
      spill.saveCheckpointSpark(df, "orders");
      DuckDbFrame loaded = spill.loadCheckpointFrame("orders");
      spill.saveCheckpointFrame(loaded.sql("SELECT * FROM this WHERE flag"), "flagged");
      assertThat(spill.listCheckpoints()).containsExactly("flagged", "orders");
      assertThat(spill.loadCheckpointSpark("flagged").count()).isEqualTo(667);
      assertThat(spill.scanCheckpointFrame("flagged").count()).isEqualTo(667);
      assertSameDataNullabilityAside(df, spill.loadCheckpointSpark("orders"));
    }
    try (VolumeSpiller<DuckDbFrame> spill = spiller(access, location, Mode.PROD)) {
      assertThat(spill.listCheckpoints())
          .as("DEV kept its checkpoints")
          .containsExactly("flagged", "orders");
      spill.saveCheckpointSpark(df.limit(5), "orders");
      spill.saveCheckpointSpark(df.limit(7), "prod_only");
      assertThat(spill.loadCheckpointFrame("orders").count()).isEqualTo(5);
    }
    try (VolumeSpiller<DuckDbFrame> spill = spiller(access, location, Mode.PROD)) {
      assertThat(spill.listCheckpoints())
          .as("PROD put back what it overwrote")
          .containsExactly("flagged", "orders");
      assertSameDataNullabilityAside(df, spill.loadCheckpointSpark("orders"));
      assertThat(spill.deleteCheckpoint("orders")).isTrue();
      assertThat(spill.deleteCheckpoint("flagged")).isTrue();
    }
    Map<String, String> after = files(shared);
    assertThat(after).as("only the teammates' files are left, byte for byte").isEqualTo(before);
    assertThat(shared).as("a volume spill did not create is never dropped").isDirectory();
    if (access.equals("api")) {
      assertThat(fixture.workspace.count("PUT", "/api/2.0/fs/files/Volumes/main/team_a/shared"))
          .as("the engine's output went up through the Files API")
          .isPositive();
    } else {
      assertThat(fixture.workspace.count("PUT", "/api/2.0/fs/")).isZero();
    }
  }

  @ParameterizedTest(name = "uc.files={0}")
  @ValueSource(strings = {"api", "mount"})
  void prodDropsAVolumeOnlyIfSpillCreatedItAndNothingElseArrived(String access) throws IOException {
    Path created = fixture.volumes.resolve("main/team_a/scratch");
    try (VolumeSpiller<DuckDbFrame> spill =
        spiller(access, UcFixture.location("scratch") + "/a/b", Mode.PROD)) {
      assertThat(created).as("spill created the missing volume").isDirectory();
      assertThat(created.resolve("a/b/_spill/owner.json")).isRegularFile();
      spill.saveCheckpointSpark(sample(), "orders");
      assertThat(spill.sparkToEngine(sample(), ToEngine.lazy()).count()).isEqualTo(2000);
    }
    assertThat(created).as("PROD dropped the volume it created, now empty").doesNotExist();
    assertThat(
            fixture.workspace.count(
                "DELETE", "/api/2.1/unity-catalog/volumes/" + "main.team_a.scratch"))
        .isEqualTo(1);

    try (VolumeSpiller<DuckDbFrame> spill =
        spiller(access, UcFixture.location("scratch"), Mode.PROD)) {
      spill.saveCheckpointSpark(sample(), "orders");
      Files.writeString(created.resolve("arrived-meanwhile.csv"), "a teammate's file");
    }
    assertThat(files(created))
        .as("a file that arrived during the run keeps the volume")
        .containsOnlyKeys("arrived-meanwhile.csv", "_spill/owner.json");
  }

  @ParameterizedTest(name = "uc.ddl=none, uc.files={0}")
  @ValueSource(strings = {"api", "mount"})
  void withoutDdlAMissingVolumeIsAClearErrorAndNothingIsCreated(String access) {
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(spark())
                    .engine(DuckDbEngine.create())
                    .store(UcFixture.location("missing"))
                    .options(fixture.options(access))
                    .option("uc.ddl", "none")
                    .localDir(temp.resolve("local"))
                    .shutdownHook(false)
                    .build())
        .hasMessageContaining("the volume main.team_a.missing does not exist and uc.ddl=none")
        .hasMessageContaining("CREATE VOLUME `main`.`team_a`.`missing`");
    assertThat(fixture.volumes.resolve("main/team_a/missing")).doesNotExist();
  }
}
