package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.spi.InvalidIdentifierException;
import io.spill.spi.SpillConfigurationException;
import io.spill.testkit.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Locations, names, DDL text and settings, checked before any I/O. */
class UcVolumeTest {

  @Test
  void locationsParseWithAndWithoutDbfsAndAFolder() {
    assertThat(UcVolume.parse("/Volumes/main/team_a/spill"))
        .isEqualTo(new UcVolume("main", "team_a", "spill", ""));
    assertThat(UcVolume.parse("dbfs:/Volumes/main/team-a/spill/jobs/daily/"))
        .isEqualTo(new UcVolume("main", "team-a", "spill", "jobs/daily"));
    UcVolume v = UcVolume.parse("/Volumes/main/team_a/spill/jobs");
    assertThat(v.fullName()).isEqualTo("main.team_a.spill");
    assertThat(v.path("file:/tmp/x", "_spill/a"))
        .isEqualTo("file:/tmp/x/main/team_a/spill/jobs/_spill/a");
    assertThat(v).hasToString("/Volumes/main/team_a/spill/jobs");
  }

  @Test
  void theDdlTextQuotesEveryPartWithBackticks() {
    UcVolume v = UcVolume.parse("/Volumes/main/team-a/my_vol");
    assertThat(v.createStatement()).isEqualTo("CREATE VOLUME `main`.`team-a`.`my_vol`");
    assertThat(v.dropStatement()).isEqualTo("DROP VOLUME `main`.`team-a`.`my_vol`");
  }

  @Test
  void sqlDdlRunsExactlyThoseStatementsThroughTheRunner() {
    List<String> ran = new ArrayList<>();
    VolumeDdl ddl = VolumeDdl.sql(ran::add);
    UcVolume v = UcVolume.parse("/Volumes/c1/s-2/v_3/folder");
    ddl.create(v, "created by spill x");
    assertThat(ddl.comment(v)).as("SQL returns no rows to read a comment from").isEmpty();
    ddl.drop(v);
    assertThat(ran)
        .containsExactly("CREATE VOLUME `c1`.`s-2`.`v_3`", "DROP VOLUME `c1`.`s-2`.`v_3`");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/Volumes/ma`in/s/v",
        "/Volumes/main/s.x/v",
        "/Volumes/main/s/v;drop",
        "/Volumes/main/s/v w",
        "/Volumes/main//v",
        "/Volumes/main/s/é"
      })
  void namesOutsideSpillsSetAreRefusedNamingThePart(String location) {
    assertThatThrownBy(() -> UcVolume.parse(location))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageMatching("invalid Unity Catalog (catalog|schema|volume) name .*")
        .hasMessageContaining("A-Z a-z 0-9 _ -");
  }

  @Test
  void namesLongerThanUnityCatalogAllowsAreRefused() {
    assertThat(UcVolume.parse("/Volumes/main/s/" + "v".repeat(255)).volume()).hasSize(255);
    assertThatThrownBy(() -> UcVolume.parse("/Volumes/main/s/" + "v".repeat(256)))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("1 to 255");
  }

  @Test
  void aFolderWithASpaceIsRefusedSayingWhy() {
    assertThatThrownBy(() -> UcVolume.parse("/Volumes/main/s/v/my folder"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("'my folder'")
        .hasMessageContaining("has a space");
    assertThatThrownBy(() -> UcVolume.parse("/Volumes/main/s/v/a/../b"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("'..'");
  }

  @Test
  void whatIsNotAVolumeIsAConfigurationError() {
    assertThatThrownBy(() -> UcVolume.parse("/Volumes/main/s"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("names no volume");
    assertThatThrownBy(() -> UcVolume.parse("dbfs:/tmp/x"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("/Volumes/<catalog>/<schema>/<volume>");
  }

  @Test
  void aBadNameFailsTheBuildBeforeAnyIo() {
    assertThatThrownBy(
            () ->
                VolumeSpiller.builder(SparkTestSession.get())
                    .engine(DuckDbEngine.create())
                    .store("/Volumes/main/te am/v")
                    .build())
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("schema");
  }

  @Test
  void settingsHaveDefaultsRefuseBadValuesAndHideTheToken() {
    UcSettings d = UcSettings.defaults();
    assertThat(d.files()).isEqualTo(UcSettings.FileAccess.AUTO);
    assertThat(d.ddl()).isEqualTo(UcSettings.Ddl.SQL);
    assertThat(d.sparkRoot()).isEqualTo("/Volumes");
    assertThat(d.threads()).isEqualTo(8);
    assertThat(d.retryTimeout()).hasSeconds(60);
    UcSettings s =
        UcSettings.from(
            Map.of(
                "uc.host",
                "https://adb-1.2.azuredatabricks.net/",
                "uc.token",
                "dapi-secret",
                "uc.files",
                "API",
                "uc.retry-timeout",
                "PT2M"));
    assertThat(s.host()).isEqualTo("https://adb-1.2.azuredatabricks.net");
    assertThat(s.toString()).doesNotContain("dapi-secret").contains("(hidden)");
    assertThatThrownBy(() -> UcSettings.from(Map.of("uc.files", "fuse")))
        .hasMessageContaining("uc.files must be one of [auto, mount, api]");
    assertThatThrownBy(() -> UcSettings.from(Map.of("uc.token", "dapi-secret")))
        .hasMessageContaining("uc.token needs uc.host")
        .hasMessageNotContaining("dapi-secret");
    assertThatThrownBy(() -> UcSettings.from(Map.of("uc.threads", "0")))
        .hasMessageContaining("uc.threads must be 1 to 64");
    assertThatThrownBy(() -> UcSettings.from(Map.of("uc.region", "x")))
        .hasMessageContaining("unknown option 'uc.region'");
  }

  @Test
  void anOwnClientExcludesHostAndToken() {
    com.databricks.sdk.WorkspaceClient client =
        new com.databricks.sdk.WorkspaceClient(
            new com.databricks.sdk.core.DatabricksConfig()
                .setHost("http://127.0.0.1:9")
                .setToken("t")
                .setAuthType("pat"));
    assertThatThrownBy(
            () ->
                UcVolumeStore.open(
                    "/Volumes/a/b/c",
                    UcSettings.from(Map.of("uc.host", "http://127.0.0.1:9")),
                    client,
                    (org.apache.spark.sql.SparkSession) null))
        .hasMessageContaining("with your own WorkspaceClient, leave them out");
  }
}
