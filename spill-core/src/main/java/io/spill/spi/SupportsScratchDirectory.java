package io.spill.spi;

/**
 * An optional ability of a {@link FrameEngine} that spills its own work to disk when it exceeds its
 * memory (DuckDB does): spill gives it a folder in the run's driver-local namespace ({@code
 * _spill/runs/<run-id>/engine} of the local store), which teardown removes with the run and purge
 * removes with a crashed run.
 */
public interface SupportsScratchDirectory {

  /**
   * Where the engine may write temporary files from now on. An engine whose user chose a folder
   * explicitly (an option) keeps that one.
   *
   * @param directory a folder as {@link SpillStore#engineUri(String)} gives it; created by the
   *     engine when it needs it
   */
  void scratchDirectory(String directory);
}
