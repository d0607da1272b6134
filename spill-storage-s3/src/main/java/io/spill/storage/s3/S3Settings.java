package io.spill.storage.s3;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.helpers.OptionValues;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code s3.*} options. Credentials are held here and handed to the AWS SDK and to Spark's s3a
 * options only: {@link #toString()} and every message leave them out.
 *
 * @param endpoint a custom endpoint (an S3-compatible server), or null for AWS
 * @param region the region, or null for the AWS SDK's default region chain
 * @param pathStyle whether requests address the bucket in the path, not the host name
 * @param accessKeyId with {@code secretAccessKey}: static credentials; null for the default chain
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param sessionToken a session token for temporary credentials, or null
 * @param threads how many files move at once between S3 and the driver's disk
 * @param partSize the part size of multipart uploads; larger files are uploaded in parts
 * @param timeout the longest one attempt of an S3 request waits for its answer, and the longest a
 *     connection may stay silent during a transfer (a file's body may take longer while it flows)
 */
public record S3Settings(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    int threads,
    long partSize,
    Duration timeout) {

  static final String ENDPOINT = "s3.endpoint";
  static final String REGION = "s3.region";
  static final String PATH_STYLE = "s3.path-style-access";
  static final String ACCESS_KEY_ID = "s3.access-key-id";
  static final String SECRET_ACCESS_KEY = "s3.secret-access-key";
  static final String SESSION_TOKEN = "s3.session-token";
  static final String THREADS = "s3.threads";
  static final String PART_SIZE = "s3.part-size";
  static final String TIMEOUT = "s3.timeout";

  /** Every key the S3 store reads. */
  static final Set<String> KEYS =
      Set.of(
          ENDPOINT,
          REGION,
          PATH_STYLE,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          SESSION_TOKEN,
          THREADS,
          PART_SIZE,
          TIMEOUT);

  /** S3's smallest part size (except the last part). */
  static final long MIN_PART_SIZE = 5L << 20;

  static final long DEFAULT_PART_SIZE = 16L << 20;

  /**
   * Checks the settings.
   *
   * @param endpoint a custom endpoint (an S3-compatible server), or null for AWS
   * @param region the region, or null for the AWS SDK's default region chain
   * @param pathStyle whether requests address the bucket in the path, not the host name
   * @param accessKeyId with {@code secretAccessKey}: static credentials; null for the default chain
   * @param secretAccessKey the secret of {@code accessKeyId}
   * @param sessionToken a session token for temporary credentials, or null
   * @param threads how many files move at once between S3 and the driver's disk
   * @param partSize the part size of multipart uploads; larger files are uploaded in parts
   * @param timeout the longest one attempt of an S3 request waits for its answer, and the longest a
   *     connection may stay silent during a transfer (a file's body may take longer while it flows)
   */
  public S3Settings {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new SpillConfigurationException(
          "set both "
              + ACCESS_KEY_ID
              + " and "
              + SECRET_ACCESS_KEY
              + ", or neither (then the AWS default credential chain is used)");
    }
    if (sessionToken != null && accessKeyId == null) {
      throw new SpillConfigurationException(
          SESSION_TOKEN + " needs " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY);
    }
    if (threads < 1 || threads > 64) {
      throw new SpillConfigurationException(THREADS + " must be 1 to 64, got " + threads);
    }
    if (partSize < MIN_PART_SIZE) {
      throw new SpillConfigurationException(
          PART_SIZE
              + " must be at least 5 MiB ("
              + MIN_PART_SIZE
              + " bytes), S3's smallest part, got "
              + partSize);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new SpillConfigurationException(TIMEOUT + " must be positive, got " + timeout);
    }
  }

  /**
   * The defaults: AWS, the default region and credential chains.
   *
   * @return the settings
   */
  public static S3Settings defaults() {
    return from(Map.of());
  }

  /**
   * Settings from {@code s3.*} options.
   *
   * @param options {@code s3.*} options
   * @return the settings
   * @throws SpillConfigurationException for an unknown key or an unusable value
   */
  public static S3Settings from(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        throw new SpillConfigurationException(
            "unknown option '" + key + "' for s3; known keys: " + new java.util.TreeSet<>(KEYS));
      }
    }
    URI endpoint = null;
    String e = blankToNull(options.get(ENDPOINT));
    if (e != null) {
      try {
        endpoint = URI.create(e);
      } catch (IllegalArgumentException bad) {
        throw new SpillConfigurationException(ENDPOINT + " '" + e + "' is not a URI");
      }
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme();
      if ((!scheme.equals("http") && !scheme.equals("https")) || endpoint.getHost() == null) {
        throw new SpillConfigurationException(
            ENDPOINT
                + " must be an http:// or https:// URL"
                + " with a host, such as https://s3.eu-west-1.amazonaws.com, got '"
                + e
                + "'");
      }
    }
    return new S3Settings(
        endpoint,
        blankToNull(options.get(REGION)),
        OptionValues.bool(PATH_STYLE, options.getOrDefault(PATH_STYLE, "false")),
        blankToNull(options.get(ACCESS_KEY_ID)),
        blankToNull(options.get(SECRET_ACCESS_KEY)),
        blankToNull(options.get(SESSION_TOKEN)),
        OptionValues.integer(THREADS, options.getOrDefault(THREADS, "8"), 1, 64),
        OptionValues.bytes(
            PART_SIZE, options.getOrDefault(PART_SIZE, String.valueOf(DEFAULT_PART_SIZE))),
        OptionValues.duration(TIMEOUT, options.getOrDefault(TIMEOUT, "60s")));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Where requests go, for messages: the endpoint, or AWS in the region. */
  String describeEndpoint() {
    return endpoint != null
        ? endpoint.toString()
        : "AWS S3" + (region != null ? " in " + region : " (region from the AWS default chain)");
  }

  /** The settings without credentials. */
  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (accessKeyId == null
            ? "default chain"
            : sessionToken == null ? "static (hidden)" : "session (hidden)")
        + ", threads="
        + threads
        + ", partSize="
        + partSize
        + ", timeout="
        + timeout
        + "]";
  }
}
