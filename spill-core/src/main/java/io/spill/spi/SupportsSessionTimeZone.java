package io.spill.spi;

/**
 * An optional ability of a {@link FrameEngine} that computes with time zones (DuckDB does, for
 * {@code TIMESTAMP WITH TIME ZONE}): spill hands it the Spark session's time zone ({@code
 * spark.sql.session.timeZone}) before each transfer into the engine, so that {@code CAST(ts AS
 * DATE)}, {@code date_trunc('day', ts)} or {@code hour(ts)} give in the engine what they give in
 * Spark, whatever the operating system's zone.
 */
public interface SupportsSessionTimeZone {

  /**
   * Makes the engine compute in {@code zoneId} from now on.
   *
   * @param zoneId a zone as Spark accepts it: a region ({@code Europe/Berlin}), {@code UTC}, or an
   *     offset ({@code +05:30})
   * @throws SpillConfigurationException if the engine cannot use that zone
   */
  void sessionTimeZone(String zoneId);
}
