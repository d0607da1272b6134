package io.spill.engine.duckdb;

import io.spill.testkit.Soak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the figures of the reliability tests into {@code target/reliability/RELIABILITY.md} of
 * this module, never into a tracked file: each test adds its own section ("## ..."), in the order
 * they ran. The full tier's report is what {@code docs/RELIABILITY.md} holds; the README says how
 * to copy it there.
 */
final class ReliabilityReport {
  /** Where the report goes; the build sets it, a run from an IDE uses the working directory. */
  static final Path FILE =
      Path.of(System.getProperty("spill.reliability.report", "target/reliability/RELIABILITY.md"))
          .toAbsolutePath()
          .normalize();

  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

  private ReliabilityReport() {}

  /** Adds (or replaces) section {@code title} and rewrites the report. */
  static synchronized void record(String title, String body) {
    SECTIONS.put(title, body.strip());
    StringBuilder out =
        new StringBuilder(
            String.format(
                """
        # Reliability

        What the test suite shows about spill on a shared store, with the figures of the %s
        tier's last run (`ReliabilityCrashTest`, `ReliabilityConcurrencyTest`, `SharedStoreTest`
        and `FailureModesTest` in `spill-engine-duckdb`). Each section names the test that
        wrote it.
        """,
                Soak.tier()));
    SECTIONS.forEach((t, b) -> out.append("\n## ").append(t).append("\n\n").append(b).append('\n'));
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
