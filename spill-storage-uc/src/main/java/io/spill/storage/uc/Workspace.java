package io.spill.storage.uc;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.retry.NoRetryStrategyPicker;
import io.spill.spi.SpillConfigurationException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Databricks workspace spill talks to: an SDK {@link ApiClient} with the SDK's retries turned
 * off (spill retries itself, with fresh streams, see {@link Retrier}), and what messages may say
 * about it. The secrets of its configuration are kept for redaction only.
 */
final class Workspace {
  private final ApiClient api;
  private final String host;
  private final List<String> secrets;

  private Workspace(DatabricksConfig config, List<String> secrets) {
    this.api =
        new ApiClient.Builder()
            .withDatabricksConfig(config)
            .withRetryStrategyPicker(new NoRetryStrategyPicker())
            .build();
    this.host = config.getHost();
    this.secrets = secrets;
  }

  /**
   * The workspace of {@code uc.host} and {@code uc.token}, or of the SDK's default auth chain
   * (environment variables, {@code ~/.databrickscfg}, a notebook's own credentials).
   *
   * @throws SpillConfigurationException if the SDK cannot be configured
   */
  static Workspace from(UcSettings settings) {
    DatabricksConfig config = new DatabricksConfig();
    if (settings.host() != null) {
      config.setHost(settings.host());
    }
    if (settings.token() != null) {
      config.setToken(settings.token()).setAuthType("pat");
    }
    // one attempt may take a third of the retry budget, so that three fit in it
    config.setHttpTimeoutSeconds(
        (int)
            Math.max(1, Math.min(60, settings.retryTimeout().toSeconds() / Retrier.MIN_ATTEMPTS)));
    try {
      config.resolve();
    } catch (DatabricksException e) {
      String message =
          "cannot set up the Databricks SDK for the Files API: "
              + e.getMessage()
              + ". Set uc.host and uc.token, or configure the SDK's default auth"
              + " (DATABRICKS_HOST and DATABRICKS_TOKEN, or ~/.databrickscfg)";
      throw new SpillConfigurationException(redact(message, secretsOf(config)), e);
    }
    return new Workspace(config, secretsOf(config));
  }

  /** The workspace of a client the user made; its configuration is used as it is. */
  static Workspace of(WorkspaceClient client) {
    return new Workspace(client.config(), secretsOf(client.config()));
  }

  /**
   * Every secret the configuration holds, whatever the auth type: a personal access token, an OAuth
   * or Azure client secret, a password. No message or log line spill writes holds one.
   */
  static List<String> secretsOf(DatabricksConfig config) {
    return Stream.of(
            config.getToken(),
            config.getClientSecret(),
            config.getAzureClientSecret(),
            config.getPassword())
        .filter(s -> s != null && !s.isEmpty())
        .toList();
  }

  ApiClient api() {
    return api;
  }

  /** The workspace URL, for messages; null if the default chain has not resolved one yet. */
  String host() {
    return host;
  }

  /** {@code message} without any secret of the configuration. */
  String redact(String message) {
    return redact(message, secrets);
  }

  private static String redact(String message, List<String> secrets) {
    String out = message;
    for (String secret : secrets) {
      out = out == null ? null : out.replace(secret, "****");
    }
    return out;
  }
}
