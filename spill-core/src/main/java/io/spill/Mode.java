package io.spill;

/** How teardown treats what a run created. */
public enum Mode {
  /**
   * Create the volume if missing; teardown removes this run's spill files and keeps checkpoints.
   */
  DEV,
  /**
   * Teardown removes everything this run created, its new checkpoints included, puts a checkpoint
   * it overwrote back to the version that was there before the run, and drops the container (volume
   * or local folder) only if spill created it and nothing else is left in it.
   */
  PROD
}
