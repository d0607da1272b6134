package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.ColumnSchema;
import io.spill.spi.SpillException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointManifestTest {

  @Test
  void roundTripsThroughJson() {
    CheckpointManifest m = new CheckpointManifest(1, "cp", "duckdb", "data-1",
        List.of("data-1/a.parquet"), 3, 100, List.of(new ColumnSchema("x y", "INTEGER")), null,
        "run", "2026-11-25T00:00:00Z", null, null);
    CheckpointManifest back = CheckpointManifest.fromJson("test", m.toJson());
    assertThat(back).isEqualTo(m);
    assertThat(new String(m.toJson(), StandardCharsets.UTF_8)).doesNotContain("sparkSchema");
  }

  @Test
  void aNewerFormatAsksForAnUpgrade() {
    byte[] json = ("{\"formatVersion\":99,\"name\":\"cp\",\"writer\":\"spark\",\"dataDir\":\"d\","
        + "\"files\":[],\"columns\":[]}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckpointManifest.fromJson("x", json))
        .isInstanceOf(SpillException.class).hasMessageContaining("upgrade spill");
  }

  @Test
  void corruptJsonSaysHowToRecover() {
    assertThatThrownBy(() -> CheckpointManifest.fromJson("x", "{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SpillException.class).hasMessageContaining("save the checkpoint again");
  }
}
