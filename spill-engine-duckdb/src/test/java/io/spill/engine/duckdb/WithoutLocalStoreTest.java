package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.Storage;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.VolumeSpillerBuilder;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStoreProvider;
import io.spill.storage.local.LocalSpillStore;
import io.spill.testkit.SparkTestSession;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spill-core and one engine without spill-storage-local, as a build that leaves the module out sees
 * them: its store provider is not found through ServiceLoader (the class path of this test hides
 * the module's services file). A store on {@code file:}, a plain path or the default store fails at
 * build() naming the module; {@code Storage.LOCAL} fails at the call; and everything else works,
 * DuckDB's temporary folder included, which core keeps on the driver without the module.
 */
class WithoutLocalStoreTest {
  @TempDir Path tmp;
  private ClassLoader saved;

  @BeforeEach
  void hideTheLocalStoreModule() {
    saved = Thread.currentThread().getContextClassLoader();
    Thread.currentThread()
        .setContextClassLoader(
            new ClassLoader(saved) {
              @Override
              public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> all = Collections.list(super.getResources(name));
                if (name.equals("META-INF/services/" + SpillStoreProvider.class.getName())) {
                  all.removeIf(url -> url.toString().contains("spill-storage-local"));
                }
                return Collections.enumeration(all);
              }
            });
  }

  @AfterEach
  void restore() {
    Thread.currentThread().setContextClassLoader(saved);
  }

  private VolumeSpillerBuilder<DuckDbFrame> builder(DuckDbFrameEngine engine) {
    return VolumeSpiller.builder(SparkTestSession.get(), engine)
        .localDir(tmp.resolve("local"))
        .shutdownHook(false);
  }

  @Test
  void theDefaultStoreAFileUriAndAPlainPathNameTheModuleAndCloseTheEngine() throws Exception {
    List<Function<VolumeSpillerBuilder<DuckDbFrame>, VolumeSpillerBuilder<DuckDbFrame>>> ways =
        List.of(
            b -> b,
            b -> b.store(tmp.resolve("v").toUri().toString()),
            b -> b.store(tmp.resolve("v").toString()));
    for (var way : ways) {
      DuckDbFrameEngine engine = DuckDbEngine.create();
      assertThatThrownBy(() -> way.apply(builder(engine)).build())
          .isInstanceOf(SpillConfigurationException.class)
          .hasMessageContaining("io.spill:spill-storage-local")
          .hasMessageContaining(".volume(catalog, schema, volume)")
          .hasMessageContaining(".store(\"s3://bucket/prefix\")");
      assertThat(engine.connection().isClosed()).isTrue();
    }
    assertThat(tmp.resolve("local")).doesNotExist();
    assertThat(tmp.resolve("v")).doesNotExist();
  }

  @Test
  void withAStoreOfItsOwnTheSandwichWorksAndStorageLocalFailsAtTheCall() throws Exception {
    Path volume = tmp.resolve("volume");
    try (VolumeSpiller<DuckDbFrame> spill =
        builder(DuckDbEngine.create())
            .store(new LocalSpillStore(volume))
            .option("duckdb.memory-limit", "64MiB")
            .build()) {
      DuckDbFrame frame =
          spill.sparkToEngine(
              SparkTestSession.get().range(200_000).selectExpr("id", "uuid() AS u"),
              ToEngine.lazy());
      // DuckDB's temporary folder is in the scratch space core keeps on the driver
      try (var st = spill.engine(DuckDbFrameEngine.class).connection().createStatement();
          var rs = st.executeQuery("SELECT current_setting('temp_directory')")) {
        rs.next();
        assertThat(rs.getString(1))
            .isEqualTo(tmp.resolve("local/_spill/scratch/" + spill.runId() + "/engine").toString());
      }
      DuckDbFrame sorted = frame.sql("SELECT u, id FROM this ORDER BY u");
      assertThat(spill.engineToSpark(sorted).count()).isEqualTo(200_000);
      spill.saveCheckpointFrame(sorted, "sorted");
      assertThat(spill.listCheckpoints()).containsExactly("sorted");
      for (var call :
          List.<Runnable>of(
              () -> spill.listCheckpoints(Storage.LOCAL),
              () -> spill.saveCheckpointFrame(sorted, "x", Storage.LOCAL),
              () -> spill.loadCheckpointSpark("sorted", Storage.LOCAL),
              () -> spill.store(Storage.LOCAL))) {
        assertThatThrownBy(call::run)
            .isInstanceOf(SpillConfigurationException.class)
            .hasMessageContaining("Storage.LOCAL")
            .hasMessageContaining("io.spill:spill-storage-local")
            .hasMessageContaining("Storage.VOLUME");
      }
      assertThat(tmp.resolve("local/_spill/scratch/" + spill.runId())).isDirectory();
    }
    try (Stream<Path> left = Files.list(tmp.resolve("local"))) {
      assertThat(left).as("teardown removed the scratch folder").isEmpty();
    }
  }
}
