package io.spill.engine.duckdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the figures of the reliability tests into {@code docs/RELIABILITY.md}: each test
 * replaces its own section ("## ..."), and sections of tests that did not run keep their last
 * figures.
 */
final class ReliabilityReport {
  private static final Path FILE = Path.of("..", "docs", "RELIABILITY.md").toAbsolutePath()
      .normalize();
  private static final String HEADER = """
      # Reliability

      What the test suite shows about spill on a shared store, with the figures of its last run
      (this file is rewritten by the tests in `spill-engine-duckdb`: `ReliabilityCrashTest`,
      `ReliabilityConcurrencyTest` and `SharedStoreTest`). Each section names the test that
      wrote it.
      """;

  private ReliabilityReport() {}

  /** Replaces section {@code title} with {@code body}. */
  static synchronized void record(String title, String body) {
    Map<String, String> sections = new LinkedHashMap<>();
    try {
      if (Files.exists(FILE)) {
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
          if (line.startsWith("## ")) {
            if (current != null) {
              sections.put(current, text.toString().strip());
            }
            current = line.substring(3).strip();
            text.setLength(0);
          } else if (current != null) {
            text.append(line).append('\n');
          }
        }
        if (current != null) {
          sections.put(current, text.toString().strip());
        }
      }
      sections.put(title, body.strip());
      StringBuilder out = new StringBuilder(HEADER);
      sections.forEach((t, b) -> out.append("\n## ").append(t).append("\n\n").append(b)
          .append('\n'));
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
