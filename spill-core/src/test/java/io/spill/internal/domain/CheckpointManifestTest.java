package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.ColumnSchema;
import io.spill.spi.SpillException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointManifestTest {
  private static final String DATA = "data-20261203T101010101Z-0a1b2c3d-0123456789abcdef";

  @Test
  void roundTripsThroughJson() {
    CheckpointManifest m =
        new CheckpointManifest(
            1,
            "cp",
            "duckdb",
            DATA,
            List.of(DATA + "/a.parquet"),
            3,
            100,
            List.of(new ColumnSchema("x y", "INTEGER")),
            null,
            "run",
            "2026-11-25T00:00:00Z",
            null,
            null);
    CheckpointManifest back = CheckpointManifest.fromJson("test", m.toJson());
    assertThat(back).isEqualTo(m);
    assertThat(new String(m.toJson(), StandardCharsets.UTF_8)).doesNotContain("sparkSchema");
  }

  @Test
  void aNewerFormatAsksForAnUpgrade() {
    byte[] json =
        ("{\"formatVersion\":99,\"name\":\"cp\",\"writer\":\"spark\",\"dataDir\":\"d\","
                + "\"files\":[],\"columns\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckpointManifest.fromJson("x", json))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("upgrade spill");
  }

  @Test
  void corruptJsonSaysHowToRecover() {
    assertThatThrownBy(() -> CheckpointManifest.fromJson("x", "{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("save the checkpoint again");
  }

  /** A corrupt or crafted manifest cannot make a read or delete reach outside the checkpoint. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "\"dataDir\":\"..\",\"files\":[\"../x\"]",
        "\"dataDir\":\"../../elsewhere\",\"files\":[]",
        "\"dataDir\":\"my-folder\",\"files\":[\"my-folder/a.parquet\"]",
        "\"dataDir\":\"" + DATA + "\",\"files\":[\"" + DATA + "/../../x.parquet\"]",
        "\"dataDir\":\"" + DATA + "\",\"files\":[\"other/a.parquet\"]",
        "\"dataDir\":\"" + DATA + "\",\"files\":[\"" + DATA + "/\"]",
        "\"dataDir\":\"" + DATA + "\",\"files\":[\"/etc/passwd\"]"
      })
  void manifestsNamingPathsOutsideTheirDataFolderAreRefusedAsUnreadable(String paths) {
    byte[] json =
        ("{\"formatVersion\":1,\"name\":\"cp\",\"writer\":\"spark\"," + paths + ",\"columns\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckpointManifest.fromJson("store/_manifest.json", json))
        .isInstanceOf(SpillException.class)
        .hasMessageContaining("store/_manifest.json is refused as unreadable")
        .hasMessageContaining("Save the checkpoint again");
  }
}
