package io.spill.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillStore;
import io.spill.spi.SpillStoreProvider;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spill-core alone has no store: every lookup names the module to add and the alternatives. */
class ProviderRegistryTest {
  private final ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());
  @TempDir Path tmp;

  @Test
  void schemesOfLocationsIncludingPlainPathsAndVolumes() {
    assertThat(ProviderRegistry.schemeOf("/tmp/spill")).isEqualTo("file");
    assertThat(ProviderRegistry.schemeOf("relative/dir")).isEqualTo("file");
    assertThat(ProviderRegistry.schemeOf("file:///data/spill")).isEqualTo("file");
    assertThat(ProviderRegistry.schemeOf("/Volumes/main/default/v")).isEqualTo("dbfs");
    assertThat(ProviderRegistry.schemeOf("dbfs:/Volumes/main/default/v")).isEqualTo("dbfs");
    assertThat(ProviderRegistry.schemeOf("S3A://bucket/p")).isEqualTo("s3a");
  }

  @Test
  void aMissingStoreModuleIsNamed() {
    assertThatThrownBy(() -> registry.storeFor("s3://bucket/prefix"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("no spill store for scheme 's3'")
        .hasMessageContaining("io.spill:spill-storage-s3");
    assertThatThrownBy(() -> registry.storeFor("/Volumes/main/default/v"))
        .hasMessageContaining("io.spill:spill-storage-uc");
  }

  @Test
  void withoutTheLocalStoreModuleFilePathsAndTheDefaultNameItAndTheAlternatives() {
    for (String location : List.of("/tmp/x", "relative/dir", "file:///tmp/x")) {
      assertThat(registry.findStore(location)).isEmpty();
      assertThatThrownBy(() -> registry.storeFor(location))
          .isInstanceOf(SpillConfigurationException.class)
          .hasMessageContaining("no spill store for scheme 'file'")
          .hasMessageContaining("add the dependency io.spill:spill-storage-local")
          .hasMessageContaining(".volume(catalog, schema, volume)")
          .hasMessageContaining(".store(\"s3://bucket/prefix\")");
    }
    assertThat(registry.noDefaultStore("/tmp/spill-me"))
        .hasMessageContaining("without .store(...) or .volume(...)")
        .hasMessageContaining("/tmp/spill-me")
        .hasMessageContaining("io.spill:spill-storage-local");
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void anUnknownSchemeSaysWhichOnesSpillServes() {
    assertThatThrownBy(() -> registry.storeFor("gs://bucket"))
        .hasMessageContaining("scheme 'gs'")
        .hasMessageContaining("SpillStoreProvider");
  }

  @Test
  void aMissingEngineModuleIsNamed() {
    assertThatThrownBy(() -> registry.engineNamed("DuckDB"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("io.spill:spill-engine-duckdb");
    assertThatThrownBy(() -> registry.engineNamed("polars"))
        .hasMessageContaining("no spill engine named 'polars'");
  }

  @Test
  void anInvalidUriIsAClearError() {
    assertThatThrownBy(() -> ProviderRegistry.schemeOf("s3://bad bucket/x"))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("not a valid URI");
  }

  /**
   * As SLF4J does: a provider that cannot be made, or whose schemes() throws, is reported and
   * skipped, and the others still serve; of two for one scheme the first wins, reported.
   */
  @Test
  void brokenAndDuplicateProvidersAreReportedAndTheOthersStillServe() throws IOException {
    ProviderRegistry r =
        ProviderRegistry.load(
            withProviders(
                SchemesFail.class.getName(),
                "io.spill.NoSuchProvider",
                MemStores.class.getName(),
                OtherMemStores.class.getName()));
    assertThat(r.storeFor("mem://x")).isInstanceOf(MemStores.class);
    assertThat(r.problems()).hasSize(3);
    assertThat(r.problems().get(0))
        .contains("skipped a broken SpillStoreProvider")
        .contains("io.spill.NoSuchProvider");
    assertThat(r.problems().get(1))
        .contains(SchemesFail.class.getName())
        .contains("schemes() failed")
        .contains("no schemes today");
    assertThat(r.problems().get(2))
        .contains("scheme 'mem' is served by both")
        .contains(MemStores.class.getName())
        .contains(OtherMemStores.class.getName())
        .contains(".store(SpillStore)");
    assertThatThrownBy(() -> r.storeFor("s3://b/p"))
        .hasMessageContaining("providers skipped")
        .hasMessageContaining("no schemes today");
  }

  /** A class loader whose SpillStoreProvider services file lists {@code classes}. */
  private ClassLoader withProviders(String... classes) throws IOException {
    Path services = tmp.resolve("services");
    Files.write(services, List.of(classes));
    URL url = services.toUri().toURL();
    return new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.equals("META-INF/services/" + SpillStoreProvider.class.getName())
            ? Collections.enumeration(List.of(url))
            : super.getResources(name);
      }
    };
  }

  /** A provider whose schemes() fails. */
  public static final class SchemesFail implements SpillStoreProvider {
    @Override
    public Set<String> schemes() {
      throw new IllegalStateException("no schemes today");
    }

    @Override
    public SpillStore create(String location, Map<String, String> options) {
      throw new UnsupportedOperationException();
    }
  }

  /** A provider for {@code mem:}. */
  public static class MemStores implements SpillStoreProvider {
    @Override
    public Set<String> schemes() {
      return Set.of("mem");
    }

    @Override
    public SpillStore create(String location, Map<String, String> options) {
      throw new UnsupportedOperationException();
    }
  }

  /** A second provider for {@code mem:}. */
  public static final class OtherMemStores extends MemStores {}
}
