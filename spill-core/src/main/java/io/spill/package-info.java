/**
 * spill's API: {@link io.spill.VolumeSpiller} moves data between Spark and a single-node engine on
 * the driver by spilling Parquet to shared storage instead of collecting rows through the driver,
 * and keeps checkpoints; {@link io.spill.VolumeSpillerBuilder} configures it.
 *
 * <p>spill reads and writes only below {@code <root>/_spill/} of a store. Each spiller is one run
 * with its own namespace {@code _spill/runs/<run-id>/} and a lease it renews every minute;
 * checkpoints live in {@code _spill/checkpoints/<name>/}, shared by all runs, and any checkpoint
 * loads as a Spark Dataset or as an engine frame, whichever side wrote it. spill deletes only what
 * it can prove it wrote, and never changes the Spark session's settings.
 *
 * <p><b>Lifetime.</b> Datasets returned by {@code engineToSpark} and {@code loadCheckpointSpark},
 * and lazy frames, read spill files when they are used: they stay valid until the spiller's
 * teardown ({@code close()}), not after; a checkpoint's data stays while any live run has loaded
 * it. The spiller owns its engine and stores and closes them at teardown, which also runs from a
 * JVM shutdown hook if the program ends without it.
 *
 * <p><b>Threads.</b> A spiller may be used from several threads at once. Teardown waits for the
 * calls in flight, then refuses new ones with {@link java.lang.IllegalStateException}.
 *
 * <p><b>Teardown.</b> {@link io.spill.Mode#DEV} removes the run's spill files and keeps
 * checkpoints. {@link io.spill.Mode#PROD} also removes the checkpoints the run created, puts back
 * those it overwrote, and drops a container spill created once nothing else is left in it. Both:
 * the data of checkpoints the run touched that nothing names any more goes, unless another live run
 * has it loaded.
 *
 * <p>Errors are unchecked: {@link io.spill.spi.SpillException} and its subclasses, whose messages
 * say what went wrong and how to fix it.
 */
package io.spill;
