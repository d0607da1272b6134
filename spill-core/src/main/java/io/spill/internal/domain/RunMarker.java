package io.spill.internal.domain;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spill.spi.SpillException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A run's lease, {@code _spill/runs/<run-id>/_run.json}: who runs, and when it last said it was
 * alive. The open spiller rewrites it every {@link SpillRun#HEARTBEAT}; a marker whose heartbeat is
 * older than {@link SpillRun#LEASE} belongs to a run that ended without teardown (a crash, a kill).
 * Liveness is read from the content, not the file's modification time, so object stores work too.
 *
 * @param formatVersion the marker format, 1
 * @param runId the run
 * @param mode DEV or PROD
 * @param startedAt when the run started (ISO-8601)
 * @param heartbeatAt when the run last renewed its lease (ISO-8601)
 * @param pins the checkpoints in this store the run has read, written or deleted: their data is
 *     kept while the lease is live, so that the run's Datasets and lazy frames stay readable
 * @param host the driver's host name
 * @param pid the driver's process id
 * @param user the user running the driver
 * @param ending whether the run is tearing down: it makes no more calls, so its pins are released
 *     and its data may go as soon as nothing names it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunMarker(
    int formatVersion,
    String runId,
    String mode,
    String startedAt,
    String heartbeatAt,
    List<String> pins,
    String host,
    long pid,
    String user,
    boolean ending) {

  public static final int FORMAT_VERSION = 1;

  public RunMarker {
    requireNonNull(runId, "runId is null");
    requireNonNull(heartbeatAt, "heartbeatAt is null");
    pins = pins == null ? List.of() : List.copyOf(pins);
  }

  /** Whether the lease is still held at {@code now} (a run tearing down holds none). */
  public boolean isLive(Instant now, Duration lease) {
    return !ending && !heartbeat().plus(lease).isBefore(now);
  }

  public Instant heartbeat() {
    return Instant.parse(heartbeatAt);
  }

  public byte[] toJson() {
    return SpillJson.write(this, "the lease of run " + runId);
  }

  /**
   * Parses a marker.
   *
   * @throws SpillException if it is not a marker this spill reads
   */
  public static RunMarker fromJson(String where, byte[] json) {
    try {
      RunMarker m = SpillJson.read(json, RunMarker.class);
      m.heartbeat();
      return m;
    } catch (IOException | RuntimeException e) {
      throw new SpillException(
          "the run marker "
              + where
              + " is not one this spill reads ("
              + e.getMessage()
              + "); spill leaves that run's files alone",
          e);
    }
  }
}
