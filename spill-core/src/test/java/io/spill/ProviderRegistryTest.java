package io.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillConfigurationException;
import org.junit.jupiter.api.Test;

/** spill-core alone: the local store is there, every other lookup names the module to add. */
class ProviderRegistryTest {
  private final ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());

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
  void spillCoreAloneServesFileUrisPlainPathsAndTheDefault() {
    assertThat(registry.storeFor("/tmp/x")).isInstanceOf(io.spill.local.LocalSpillStoreProvider.class);
    assertThat(registry.storeFor("relative/dir"))
        .isInstanceOf(io.spill.local.LocalSpillStoreProvider.class);
    assertThat(registry.storeFor("file:///tmp/x"))
        .isInstanceOf(io.spill.local.LocalSpillStoreProvider.class);
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
}
