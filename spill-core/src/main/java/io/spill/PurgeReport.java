package io.spill;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link VolumeSpiller#purgeStaleRuns(java.time.Duration)} removed.
 *
 * @param runs the run namespaces removed, as store-relative paths
 * @param orphanedData checkpoint data directories that no manifest named, as store-relative paths
 */
public record PurgeReport(List<String> runs, List<String> orphanedData) {
  public PurgeReport {
    runs = List.copyOf(requireNonNull(runs, "runs is null"));
    orphanedData = List.copyOf(requireNonNull(orphanedData, "orphanedData is null"));
  }
}
