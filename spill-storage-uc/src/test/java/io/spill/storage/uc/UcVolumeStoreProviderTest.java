package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.Storage;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.SpillStoreProvider;
import io.spill.testkit.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module is found through ServiceLoader, by location and by builder.volume(...). */
class UcVolumeStoreProviderTest {
  @TempDir Path temp;

  @Test
  void theProviderIsFoundForDbfsAndServesTheUcNamespace() {
    assertThat(
            ServiceLoader.load(SpillStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("dbfs")))
        .singleElement()
        .isInstanceOf(UcVolumeStoreProvider.class)
        .satisfies(p -> assertThat(p.optionNamespace()).isEqualTo("uc"));
  }

  @Test
  void builderVolumeAndBothLocationFormsOpenAVolumeStore() throws Exception {
    try (UcFixture fixture = new UcFixture(temp)) {
      Files.createDirectories(fixture.volumes.resolve("main/team_a/v1"));
      for (var build :
          java.util.List
              .<java.util.function.Function<
                      io.spill.VolumeSpillerBuilder<?>, io.spill.VolumeSpillerBuilder<?>>>
                  of(
                      b -> b.volume("main", "team_a", "v1"),
                      b -> b.store("/Volumes/main/team_a/v1/p"),
                      b -> b.store("dbfs:/Volumes/main/team_a/v1/p"))) {
        try (VolumeSpiller<?> spill =
            build
                .apply(VolumeSpiller.builder(SparkTestSession.get()).engine(DuckDbEngine.create()))
                .options(fixture.options("api"))
                .localDir(temp.resolve("local"))
                .mode(Mode.DEV)
                .shutdownHook(false)
                .build()) {
          assertThat(spill.store(Storage.VOLUME)).isInstanceOf(UcVolumeStore.class);
          assertThat(spill.store(Storage.VOLUME).describe()).startsWith("/Volumes/main/team_a/v1");
        }
      }
    }
  }

  @Test
  void aStoreBuiltWithTheUsersWorkspaceClientWorksThroughStoreSpillStore() throws Exception {
    try (UcFixture fixture = new UcFixture(temp)) {
      Files.createDirectories(fixture.volumes.resolve("main/team_a/own"));
      com.databricks.sdk.WorkspaceClient client =
          new com.databricks.sdk.WorkspaceClient(
              new com.databricks.sdk.core.DatabricksConfig()
                  .setHost(fixture.workspace.host())
                  .setToken(UcFixture.TOKEN)
                  .setAuthType("pat"));
      java.util.Map<String, String> options = new java.util.LinkedHashMap<>(fixture.options("api"));
      options.remove("uc.host");
      options.remove("uc.token");
      UcVolumeStore store =
          UcVolumeStore.open(
              UcFixture.location("own"), UcSettings.from(options), client, SparkTestSession.get());
      try (VolumeSpiller<DuckDbFrame> spill =
          VolumeSpiller.builder(SparkTestSession.get())
              .engine(DuckDbEngine.create())
              .store(store)
              .localDir(temp.resolve("local"))
              .shutdownHook(false)
              .build()) {
        spill.saveCheckpointSpark(SparkTestSession.get().range(10).toDF(), "ten");
        assertThat(spill.loadCheckpointFrame("ten").count()).isEqualTo(10);
      }
      assertThat(fixture.workspace.count("GET", "/.well-known/databricks-config"))
          .as("the SDK's start-up probe reached the fake workspace")
          .isPositive();
      assertThat(fixture.workspace.seen())
          .as("every call carried the client's token")
          .filteredOn(s -> s.path().startsWith("/api/"))
          .isNotEmpty()
          .allMatch(s -> ("Bearer " + UcFixture.TOKEN).equals(s.authorization()));
    }
  }
}
