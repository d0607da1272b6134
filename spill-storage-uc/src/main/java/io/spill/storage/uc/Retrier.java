package io.spill.storage.uc;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import io.spill.spi.SpillException;
import io.spill.spi.StorageAccessException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Files API request with spill's own retries (the SDK's are off): a fresh attempt on HTTP
 * 429 and 5xx, a connection error or reset, and a body that came out shorter than announced, after
 * an exponential backoff with full jitter. At least {@link #MIN_ATTEMPTS} attempts, and no new
 * attempt once the retry timeout would be passed. Other errors (401, 403, 404, 400) are not
 * retried.
 */
final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
  static final int MIN_ATTEMPTS = 3;
  private static final int MAX_ATTEMPTS = 10;
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /** One attempt of a request; builds everything it sends afresh (streams included). */
  interface Attempt<T> {
    T run() throws IOException;
  }

  /** A response that cannot be right (a short body, a size that does not match): try again. */
  static final class TransientException extends IOException {
    TransientException(String message) {
      super(message);
    }
  }

  private final Duration timeout;
  private final UnaryOperator<String> redact;

  Retrier(Duration timeout, UnaryOperator<String> redact) {
    this.timeout = timeout;
    this.redact = redact;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or the retry timeout has passed.
   *
   * @param what the request for messages, such as "upload /Volumes/c/s/v/x"
   * @throws StorageAccessException when it fails for good, saying what failed and how often
   */
  <T> T call(String what, Attempt<T> attempt) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    for (int n = 1; ; n++) {
      Exception failure;
      try {
        return attempt.run();
      } catch (IOException | DatabricksException e) {
        failure = e;
      }
      if (!retriable(failure)) {
        throw failure(what, failure, n, start);
      }
      long backoff =
          ThreadLocalRandom.current()
              .nextLong(
                  1 + Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(n - 1, 20)));
      boolean timeLeft = System.nanoTime() + backoff * 1_000_000 < deadline;
      if (n >= MAX_ATTEMPTS || (n >= MIN_ATTEMPTS && !timeLeft)) {
        throw failure(what, failure, n, start);
      }
      LOG.warn(
          "spill: {} failed (attempt {}: {}); trying again in {} ms",
          what,
          n,
          describe(failure),
          backoff);
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SpillException(what + " was interrupted", e);
      }
    }
  }

  /** HTTP 429 or 5xx, an I/O error (the SDK reports those as 523 IO_ERROR), a short body. */
  static boolean retriable(Exception e) {
    if (e instanceof DatabricksError d) {
      return d.getStatusCode() == 429 || d.getStatusCode() >= 500;
    }
    if (e instanceof IOException) {
      return true;
    }
    return e.getCause() instanceof IOException;
  }

  /** The HTTP status of a failed request, or 0 if it got none. */
  static int status(Exception e) {
    return e instanceof DatabricksError d ? d.getStatusCode() : 0;
  }

  private StorageAccessException failure(String what, Exception e, int attempts, long start) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    int status = status(e);
    String fix;
    if (status == 401 || status == 403) {
      fix =
          ": Databricks refused the credentials (HTTP "
              + status
              + "). Check uc.token (or the"
              + " Databricks SDK's default auth: DATABRICKS_HOST/DATABRICKS_TOKEN, ~/.databrickscfg)"
              + " and the grants on the volume (READ VOLUME, WRITE VOLUME)";
    } else if (!(e instanceof DatabricksError) && !retriable(e)) {
      fix =
          ": the Databricks SDK is not set up ("
              + e.getMessage()
              + "). Set uc.host and"
              + " uc.token, or configure the SDK's default auth (DATABRICKS_HOST and"
              + " DATABRICKS_TOKEN, or ~/.databrickscfg)";
    } else if (!retriable(e)) {
      fix = " (" + describe(e) + ")";
    } else {
      fix =
          " "
              + attempts
              + (attempts == 1 ? " time" : " times")
              + " in "
              + millis
              + " ms ("
              + describe(e)
              + "); check the workspace's status and the network, or raise"
              + " uc.retry-timeout";
    }
    return new StorageAccessException(redact.apply(what + " failed" + fix), e);
  }

  private static String describe(Exception e) {
    int status = status(e);
    String code =
        e instanceof DatabricksError d && d.getErrorCode() != null ? d.getErrorCode() + ": " : "";
    return (status > 0 && status != 523 ? "HTTP " + status + " " : "") + code + e.getMessage();
  }
}
