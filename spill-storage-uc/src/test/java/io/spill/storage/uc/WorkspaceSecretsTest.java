package io.spill.storage.uc;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.core.DatabricksConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever the auth type of a workspace, no secret of it reaches a message spill writes. */
class WorkspaceSecretsTest {
  @Test
  void everySecretOfTheConfigurationIsKnownForRedaction() {
    DatabricksConfig config =
        new DatabricksConfig()
            .setHost("https://adb-1.2.azuredatabricks.net")
            .setToken("dapi-pat-123")
            .setClientId("app-id")
            .setClientSecret("oauth-secret-456")
            .setAzureClientSecret("azure-secret-789")
            .setPassword("hunter2");
    assertThat(Workspace.secretsOf(config))
        .containsExactlyInAnyOrder(
            "dapi-pat-123", "oauth-secret-456", "azure-secret-789", "hunter2");
    assertThat(Workspace.secretsOf(new DatabricksConfig())).isEmpty();
  }

  @Test
  void settingsNeverHandTheTokenOut() {
    UcSettings settings =
        UcSettings.from(Map.of("uc.host", "https://h.example", "uc.token", "dapi-secret-1"));
    assertThat(settings.hasToken()).isTrue();
    assertThat(settings.toString()).doesNotContain("dapi-secret-1").contains("(hidden)");
    assertThat(java.util.Arrays.stream(UcSettings.class.getMethods()))
        .as("no public accessor returns the token")
        .noneMatch(m -> m.getName().equals("token"));
  }
}
