package io.spill.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A small file's bytes and the version they are, as {@link SupportsConditionalWrite} reads them.
 * The bytes are copied in and out, and two of these are equal when their bytes and versions are.
 *
 * @param content the bytes
 * @param version an opaque version tag, such as an ETag
 */
// An array component, on purpose: the bytes are copied in and out, and equals, hashCode and
// toString below compare and show the content, which a record would otherwise do by identity.
@SuppressWarnings("ArrayRecordComponent")
public record VersionedContent(byte[] content, String version) {
  /**
   * Copies the bytes.
   *
   * @param content the bytes
   * @param version an opaque version tag, such as an ETag
   */
  public VersionedContent {
    content = requireNonNull(content, "content is null").clone();
    requireNonNull(version, "version is null");
  }

  /**
   * A copy of the bytes.
   *
   * @return the bytes, copied
   */
  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedContent v
        && v.version.equals(version)
        && Arrays.equals(v.content, content);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(content) + version.hashCode();
  }

  @Override
  public String toString() {
    return "VersionedContent[" + content.length + " bytes, version=" + version + "]";
  }
}
