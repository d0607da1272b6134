package io.spill.storage.s3;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed {@code s3://bucket/prefix} or {@code s3a://bucket/prefix} location.
 *
 * @param bucket the bucket name, as S3's naming rules allow it
 * @param prefix the key prefix, without leading or trailing '/', or "" for the bucket's root
 */
public record S3Location(String bucket, String prefix) {
  /** S3's rules for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /**
   * Checks the components.
   *
   * @param bucket the bucket name, as S3's naming rules allow it
   * @param prefix the key prefix, without leading or trailing '/', or "" for the bucket's root
   */
  public S3Location {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new SpillConfigurationException(
          "'"
              + bucket
              + "' is not an S3 bucket name: use 3 to"
              + " 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter"
              + " or digit");
    }
    if (!prefix.isEmpty()) {
      for (String segment : prefix.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new SpillConfigurationException(
              "the S3 prefix '"
                  + prefix
                  + "' has an empty,"
                  + " '.' or '..' segment; write it as segments separated by single '/'");
        }
      }
    }
  }

  /**
   * Parses {@code s3://bucket[/prefix]} or {@code s3a://bucket[/prefix]}; a trailing '/' is
   * ignored.
   *
   * @param location {@code s3://bucket/prefix} or {@code s3a://bucket/prefix}
   * @return the location
   * @throws SpillConfigurationException if it is not such a location
   */
  public static S3Location parse(String location) {
    requireNonNull(location, "location is null");
    String lower = location.toLowerCase(Locale.ROOT);
    int start = lower.startsWith("s3://") ? 5 : lower.startsWith("s3a://") ? 6 : -1;
    if (start < 0) {
      throw new SpillConfigurationException(
          "'"
              + location
              + "' is not an S3 location; write"
              + " s3://bucket/prefix or s3a://bucket/prefix");
    }
    String rest = location.substring(start);
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.contains("?") || rest.contains("#")) {
      throw new SpillConfigurationException(
          "'"
              + location
              + "' has a query or fragment; an S3"
              + " location is s3://bucket/prefix, settings go in .option(\"s3....\", value)");
    }
    int slash = rest.indexOf('/');
    return slash < 0
        ? new S3Location(rest, "")
        : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** The object key of {@code path}, a path relative to the location. */
  String key(String path) {
    return prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "/" + path;
  }

  /** The path relative to the location of object {@code key}; null if it is not below it. */
  String path(String key) {
    if (prefix.isEmpty()) {
      return key;
    }
    return key.startsWith(prefix + "/") ? key.substring(prefix.length() + 1) : null;
  }

  /** The key prefix under which the children of directory {@code path} are. */
  String childPrefix(String path) {
    String key = key(path);
    return key.isEmpty() ? "" : key + "/";
  }

  /** The location of {@code path} as a Hadoop file system of URI scheme {@code scheme} sees it. */
  String uri(String scheme, String path) {
    String key = key(path);
    return scheme + "://" + bucket + (key.isEmpty() ? "" : "/" + key);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }
}
