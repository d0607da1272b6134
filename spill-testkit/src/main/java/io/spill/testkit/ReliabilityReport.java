package io.spill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the figures of the reliability tests into {@code target/reliability/RELIABILITY.md} of the
 * module under test, never into a tracked file: each test adds its own section ("## ..."), in the
 * order they ran. A module whose report continues another's (the build sets {@code
 * spill.reliability.header} to false) writes its sections without the title. The full tier's
 * reports, concatenated, are what {@code docs/RELIABILITY.md} holds; the README says how.
 */
public final class ReliabilityReport {
  /** Where the report goes; the build sets it, a run from an IDE uses the working directory. */
  private static final Path FILE =
      Path.of(System.getProperty("spill.reliability.report", "target/reliability/RELIABILITY.md"))
          .toAbsolutePath()
          .normalize();

  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

  private ReliabilityReport() {}

  /**
   * Adds (or replaces) section {@code title} and rewrites the report.
   *
   * @param title the section's title
   * @param body the section's Markdown
   */
  public static synchronized void record(String title, String body) {
    SECTIONS.put(title, body.strip());
    StringBuilder out = new StringBuilder();
    if (Boolean.parseBoolean(System.getProperty("spill.reliability.header", "true"))) {
      out.append(
          String.format(
              """
        # Reliability

        What the test suite shows about spill on a shared store, with the figures of the %s
        tier's last run (`ReliabilityCrashTest`, `ReliabilityConcurrencyTest`, `SharedStoreTest`
        and `FailureModesTest` in `spill-engine-duckdb`, `S3ServerDiesTest` in
        `spill-storage-s3`). Each section names the test that wrote it.
        """,
              Soak.tier()));
    }
    SECTIONS.forEach((t, b) -> out.append("\n## ").append(t).append("\n\n").append(b).append('\n'));
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
