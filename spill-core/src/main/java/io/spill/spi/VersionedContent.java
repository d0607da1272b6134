package io.spill.spi;

import static java.util.Objects.requireNonNull;

/**
 * A small file's bytes and the version they are, as {@link SupportsConditionalWrite} reads them.
 *
 * @param content the bytes
 * @param version an opaque version tag, such as an ETag
 */
public record VersionedContent(byte[] content, String version) {
  public VersionedContent {
    requireNonNull(content, "content is null");
    requireNonNull(version, "version is null");
  }
}
