package io.spill.storage.uc;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.CreateVolumeRequestContent;
import com.databricks.sdk.service.catalog.VolumeType;
import com.databricks.sdk.service.catalog.VolumesAPI;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SqlRunner;
import java.util.function.Supplier;

/**
 * Creates and drops the volume: with SQL through the Spark session (classic or Connect), or with
 * the Unity Catalog volumes API. Neither asks whether the volume exists first: creating one that
 * exists fails, and the store then checks whether another process created it meanwhile.
 */
interface VolumeDdl {

  /**
   * Creates the volume as a managed volume; fails if it exists. The volumes API sets {@code
   * comment} on it, for {@link #comment} to read back; SQL runs the statement once, without it.
   */
  void create(UcVolume volume, String comment);

  /**
   * The volume's comment, read back after a create whose outcome is unclear; empty where it cannot
   * be read (SQL runs the statement once, without retries, and returns no rows).
   */
  java.util.Optional<String> comment(UcVolume volume);

  /** Drops the volume. */
  void drop(UcVolume volume);

  /** {@code CREATE VOLUME} and {@code DROP VOLUME} through the run's session. */
  static VolumeDdl sql(SqlRunner runner) {
    if (runner == null) {
      throw new SpillConfigurationException(
          "uc.ddl=sql needs the Spark session: build through"
              + " VolumeSpiller.builder(spark), pass the session to UcVolumeStore.open, or set"
              + " uc.ddl=api or uc.ddl=none");
    }
    return new VolumeDdl() {
      @Override
      public void create(UcVolume volume, String comment) {
        run(volume.createStatement());
      }

      @Override
      public java.util.Optional<String> comment(UcVolume volume) {
        return java.util.Optional.empty();
      }

      @Override
      public void drop(UcVolume volume) {
        run(volume.dropStatement());
      }

      private void run(String statement) {
        try {
          runner.run(statement);
        } catch (Exception e) { // Spark's AnalysisException is checked, and thrown anyway
          String message = String.valueOf(e.getMessage());
          if (message.contains("PARSE_SYNTAX_ERROR")
              || (message.contains("VOLUME") && message.contains("ParseException"))) {
            throw new SpillConfigurationException(
                "this Spark session cannot run '"
                    + statement
                    + "' (open-source Spark has no volume DDL): set uc.ddl=api to use the Unity"
                    + " Catalog volumes API, or create the volume yourself and set uc.ddl=none",
                e);
          }
          if (e instanceof RuntimeException r) {
            throw r;
          }
          throw new SpillException("'" + statement + "' failed: " + message, e);
        }
      }
    };
  }

  /** The volumes API ({@code /api/2.1/unity-catalog/volumes}), each call retried. */
  static VolumeDdl api(Supplier<Workspace> workspace, Retrier retrier) {
    return new VolumeDdl() {
      @Override
      public void create(UcVolume v, String comment) {
        VolumesAPI volumes = new VolumesAPI(workspace.get().api());
        retrier.call(
            "create the volume " + v.fullName(),
            () ->
                volumes.create(
                    new CreateVolumeRequestContent()
                        .setCatalogName(v.catalog())
                        .setSchemaName(v.schema())
                        .setName(v.volume())
                        .setVolumeType(VolumeType.MANAGED)
                        .setComment(comment)));
      }

      @Override
      public java.util.Optional<String> comment(UcVolume v) {
        VolumesAPI volumes = new VolumesAPI(workspace.get().api());
        try {
          return java.util.Optional.ofNullable(
              retrier
                  .call("read the volume " + v.fullName(), () -> volumes.read(v.fullName()))
                  .getComment());
        } catch (RuntimeException unreadable) {
          return java.util.Optional.empty(); // not provably spill's: treated as another's
        }
      }

      @Override
      public void drop(UcVolume v) {
        VolumesAPI volumes = new VolumesAPI(workspace.get().api());
        retrier.call(
            "drop the volume " + v.fullName(),
            () -> {
              try {
                volumes.delete(v.fullName());
              } catch (DatabricksError e) {
                if (e.getStatusCode() != 404) { // gone already: an earlier attempt got through
                  throw e;
                }
              }
              return null;
            });
      }
    };
  }
}
