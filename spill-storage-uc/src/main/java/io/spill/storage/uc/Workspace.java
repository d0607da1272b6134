package io.spill.storage.uc;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.retry.NoRetryStrategyPicker;
import io.spill.spi.SpillConfigurationException;

/**
 * The Databricks workspace spill talks to: an SDK {@link ApiClient} with the SDK's retries turned
 * off (spill retries itself, with fresh streams, see {@link Retrier}), and what messages may say
 * about it. The token is kept for redaction only.
 */
final class Workspace {
  private final ApiClient api;
  private final String host;
  private final String secret;

  private Workspace(DatabricksConfig config, String secret) {
    this.api =
        new ApiClient.Builder()
            .withDatabricksConfig(config)
            .withRetryStrategyPicker(new NoRetryStrategyPicker())
            .build();
    this.host = config.getHost();
    this.secret = secret;
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
      throw new SpillConfigurationException(redact(message, settings.token()), e);
    }
    return new Workspace(config, settings.token());
  }

  /** The workspace of a client the user made; its configuration is used as it is. */
  static Workspace of(WorkspaceClient client) {
    return new Workspace(client.config(), client.config().getToken());
  }

  ApiClient api() {
    return api;
  }

  /** The workspace URL, for messages; null if the default chain has not resolved one yet. */
  String host() {
    return host;
  }

  /** {@code message} without the token. */
  String redact(String message) {
    return redact(message, secret);
  }

  private static String redact(String message, String secret) {
    return secret == null || secret.isEmpty() || message == null
        ? message
        : message.replace(secret, "****");
  }
}
