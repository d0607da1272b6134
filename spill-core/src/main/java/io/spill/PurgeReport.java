package io.spill;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link VolumeSpiller#purgeStaleRuns(java.time.Duration)} removed and what it skipped.
 *
 * @param runs the run namespaces removed (their lease had expired), as store and path
 * @param orphanedData checkpoint data no manifest named whose writer had ended, and temporary files
 *     of killed manifest writes, as store and path
 * @param problems what was skipped and why (an unreadable manifest or lease); the purge went on
 */
public record PurgeReport(List<String> runs, List<String> orphanedData, List<String> problems) {
  /**
   * Checks and copies the lists.
   *
   * @param runs the run namespaces removed (their lease had expired), as store and path
   * @param orphanedData checkpoint data no manifest named whose writer had ended, and temporary
   *     files of killed manifest writes, as store and path
   * @param problems what was skipped and why (an unreadable manifest or lease); the purge went on
   */
  public PurgeReport {
    runs = List.copyOf(requireNonNull(runs, "runs is null"));
    orphanedData = List.copyOf(requireNonNull(orphanedData, "orphanedData is null"));
    problems = List.copyOf(requireNonNull(problems, "problems is null"));
  }
}
