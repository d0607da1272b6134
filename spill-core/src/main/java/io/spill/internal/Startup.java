package io.spill.internal;

import io.spill.internal.domain.Containers;
import io.spill.internal.domain.SpillRun;
import io.spill.internal.spark.SparkSessions;
import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.SupportsScratchDirectory;
import io.spill.spi.helpers.Identifiers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a run: checks every setting before any I/O, then opens the stores (creating a missing
 * container), takes the run's lease and its scratch space. If anything fails, nothing is left
 * behind: the engine and stores are closed, and a container, lease or scratch folder this call
 * created is removed.
 */
public final class Startup {
  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

  private Startup() {}

  /**
   * Starts a run with these settings.
   *
   * @throws SpillConfigurationException if no engine is set, a store module is missing, an option
   *     key is used by neither the store nor the engine, or a location is unusable
   */
  public static <F> SpillerRuntime<F> start(SpillerSettings<F> s) {
    FrameEngine<F> engine = s.engine();
    if (engine == null) {
      SpillConfigurationException e =
          new SpillConfigurationException(
              "no engine: call"
                  + " .engine(DuckDbEngine.create()) (module spill-engine-duckdb) or"
                  + " .engine(\"duckdb\", DuckDbFrame.class)");
      closeUserStore(s, e);
      throw e;
    }
    List<SpillStore> opened = new ArrayList<>();
    List<SpillStore> created = new ArrayList<>();
    SpillRun run = null;
    ScratchSpace scratch = null;
    try {
      SparkSessions.requireSupported(s.spark());
      StoreSetup setup =
          StoreSetup.resolve(
              classLoader(), location(s), s.store() != null, s.localDir(), s.options(), engine);
      engine.configure(setup.engineOptions());
      if (s.localDir() == null) { // java.io.tmpdir is shared by every user of the machine
        ScratchSpace.claimDefaultRoot(setup.localDir(), System.getProperty("user.name", "user"));
      }
      SpillStore local = setup.openLocal();
      if (local != null) {
        opened.add(local);
      }
      SpillStore volume =
          s.store() != null
              ? s.store()
              : setup.openVolume(local, statement -> s.spark().sql(statement).collectAsList());
      if (volume != local) {
        opened.add(volume);
      }
      run = startRun(s, opened, created);
      scratch = ScratchSpace.open(setup.localDir(), run.id());
      if (engine instanceof SupportsScratchDirectory engineScratch) {
        engineScratch.scratchDirectory(scratch.engineDir().toString());
      }
      return new SpillerRuntime<>(s, run, volume, local, scratch, setup.localDir());
    } catch (RuntimeException e) {
      undo(e, s, run, scratch, created, opened);
      throw e;
    }
  }

  /**
   * Creates missing containers and takes the run's lease. A run tearing down may be dropping a
   * container spill created: the lease is written first and the drop's marker looked for after, so
   * that either the drop sees the lease and keeps the container or this run sees the marker, lets
   * the drop end, and starts again (the container is then created anew). A drop that ends between
   * this run's look at the container and its lease fails the lease's write (no store writes into a
   * dropped container): that start, too, is made again.
   */
  private static SpillRun startRun(
      SpillerSettings<?> s, List<SpillStore> opened, List<SpillStore> created) {
    for (int attempt = 1; ; attempt++) {
      SpillRun run = new SpillRun(s.mode(), opened, Clock.systemUTC());
      for (SpillStore store : opened) {
        if (Containers.open(store, run.id()) && !created.contains(store)) {
          created.add(store);
        }
      }
      try {
        run.start();
      } catch (RuntimeException e) {
        // A run tearing down may have dropped a container between open() and the lease, and a
        // store writes nothing into a dropped container: start again, which makes it anew (with
        // spill's ownership marker, unless another starting run is quicker). A failure that is
        // not that one fails the same way three times.
        List<RuntimeException> failures = new ArrayList<>();
        run.end(failures);
        if (attempt == 3) {
          failures.forEach(e::addSuppressed);
          throw e;
        }
        LOG.info(
            "spill: taking the lease failed ({}); a container may have been dropped by a run"
                + " tearing down meanwhile: starting again",
            e.getMessage());
        continue;
      }
      boolean again = false;
      try {
        for (SpillStore store : opened) {
          again |= Containers.awaitNoDrop(store, Clock.systemUTC(), DROP_PATIENCE);
        }
      } catch (RuntimeException e) {
        List<RuntimeException> failures = new ArrayList<>();
        run.end(failures);
        failures.forEach(e::addSuppressed);
        throw e;
      }
      if (!again) {
        return run;
      }
      List<RuntimeException> failures = new ArrayList<>();
      run.end(failures); // its lease went with the container, or the drop was called off
      failures.forEach(
          f -> LOG.info("spill: removing the lease of a restarted start: {}", f.getMessage()));
      if (attempt == 3) {
        throw new SpillException(
            "a container of this run was dropped by other runs tearing down three times while"
                + " this run started: try again");
      }
    }
  }

  /** How long a starting run waits for another run's drop of a container to end. */
  private static final java.time.Duration DROP_PATIENCE = java.time.Duration.ofSeconds(60);

  /** The engine of provider {@code name}, checked to return {@code frameType} frames. */
  public static <G> FrameEngine<G> engineNamed(String name, Class<G> frameType) {
    FrameEngine<?> created =
        ProviderRegistry.load(classLoader()).engineNamed(name).create(Map.of());
    if (!frameType.equals(created.frameType())) {
      created.close();
      throw new SpillConfigurationException(
          "engine '"
              + name
              + "' returns "
              + created.frameType().getName()
              + " frames, not "
              + frameType.getName());
    }
    @SuppressWarnings("unchecked")
    FrameEngine<G> typed = (FrameEngine<G>) created;
    return typed;
  }

  /** The location to resolve: a volume's path, checked, or the location as given. */
  private static String location(SpillerSettings<?> s) {
    if (s.volume() == null) {
      return s.location();
    }
    return "/Volumes/"
        + Identifiers.sqlName("catalog", s.volume().get(0))
        + "/"
        + Identifiers.sqlName("schema", s.volume().get(1))
        + "/"
        + Identifiers.sqlName("volume", s.volume().get(2));
  }

  private static void undo(
      RuntimeException failure,
      SpillerSettings<?> s,
      SpillRun run,
      ScratchSpace scratch,
      List<SpillStore> created,
      List<SpillStore> opened) {
    List<RuntimeException> failures = new ArrayList<>();
    if (scratch != null) {
      SpillRun.attempt(failures, scratch::close);
    }
    if (run != null) {
      run.end(failures);
    }
    for (SpillStore store : created) {
      SpillRun.attempt(failures, () -> Containers.dropIfOnlySpillIsLeft(store));
    }
    SpillRun.attempt(failures, s.engine()::close);
    if (s.store() != null && !opened.contains(s.store())) {
      opened.add(s.store());
    }
    for (SpillStore store : opened) {
      SpillRun.attempt(failures, store::close);
    }
    failures.forEach(failure::addSuppressed);
  }

  private static void closeUserStore(SpillerSettings<?> s, RuntimeException failure) {
    if (s.store() != null) {
      List<RuntimeException> failures = new ArrayList<>();
      SpillRun.attempt(failures, s.store()::close);
      failures.forEach(failure::addSuppressed);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Startup.class.getClassLoader();
  }
}
