package io.spill;

import io.spill.spi.SpillException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's side of spilling: writes Parquet that every engine reads (timestamps as
 * {@code TIMESTAMP_MICROS}, never INT96; dates and timestamps in the proleptic Gregorian calendar)
 * and reads back exactly the files a writer committed.
 *
 * <p>Settings Spark only takes from the session are set for the duration of one eager write and
 * then restored; writes through one SparkParquet are serialized so that they do not see each
 * other's settings.
 */
final class SparkParquet {
  private static final Map<String, String> WRITE_CONF = Map.of(
      "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS",
      "spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED",
      "spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");

  private final SparkSession spark;

  SparkParquet(SparkSession spark) {
    this.spark = spark;
  }

  /** Writes {@code df} as Parquet into {@code uri}, which must not exist. */
  void write(Dataset<Row> df, String uri) {
    withConf(WRITE_CONF, () -> {
      df.write().mode("errorifexists").parquet(uri);
      return null;
    });
  }

  /**
   * Rewrites the Parquet files at {@code sourceUris} into {@code targetUri}, packing them into
   * splits of about {@code targetBytes}: Spark's file scan combines small files and splits large
   * ones, so no shuffle and no coalesce of the upstream computation is involved.
   */
  void compact(List<String> sourceUris, StructType schema, String targetUri, long targetBytes) {
    Map<String, String> conf = new LinkedHashMap<>(WRITE_CONF);
    conf.put("spark.sql.files.maxPartitionBytes", Long.toString(targetBytes));
    conf.put("spark.sql.files.minPartitionNum", "1");
    withConf(conf, () -> {
      Dataset<Row> spilled = reader(schema).parquet(sourceUris.toArray(String[]::new));
      spilled.write().mode("errorifexists").parquet(targetUri);
      return null;
    });
  }

  /**
   * The files Spark committed in a directory it wrote, as Spark's own listing reports them
   * (honouring its commit protocol; the known schema spares Spark a job to infer one), and their
   * row count read from the Parquet footers on the driver, without a Spark job.
   */
  Committed committed(String dirUri, StructType schema) {
    String[] files = reader(schema).parquet(dirUri).inputFiles();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long rows = 0;
    List<String> names = new ArrayList<>();
    for (String file : files) {
      Path path = new Path(file);
      try (ParquetFileReader footer =
          ParquetFileReader.open(HadoopInputFile.fromPath(path, hadoop))) {
        rows += footer.getRecordCount();
      } catch (IOException e) {
        throw new SpillException("cannot read the Parquet footer of " + file
            + " that Spark just wrote: " + e.getMessage(), e);
      }
      names.add(path.getName());
    }
    names.sort(null);
    return new Committed(List.copyOf(names), rows);
  }

  /** The files and rows of one committed Spark write. */
  record Committed(List<String> files, long rows) {}

  /**
   * Reads exactly {@code uris}. With a schema (a Spark-written checkpoint) the types come back as
   * saved; without one, Parquet's logical types decide: a UTC-adjusted timestamp becomes
   * {@code TIMESTAMP}, a local one {@code TIMESTAMP_NTZ}, whatever the session's settings.
   */
  Dataset<Row> read(List<String> uris, StructType schema) {
    String[] paths = uris.toArray(String[]::new);
    return withConf(Map.of("spark.sql.parquet.inferTimestampNTZ.enabled", "true"),
        () -> reader(schema).parquet(paths));
  }

  private DataFrameReader reader(StructType schema) {
    DataFrameReader r = spark.read()
        .option("datetimeRebaseMode", "CORRECTED")
        .option("int96RebaseMode", "CORRECTED")
        .option("mergeSchema", "false");
    return schema == null ? r : r.schema(schema);
  }

  /** Whether Spark runs on the driver alone, so that it can write to the driver's disk. */
  boolean runsOnDriverOnly() {
    return spark.sparkContext().isLocal();
  }

  String master() {
    return spark.sparkContext().master();
  }

  private synchronized <T> T withConf(Map<String, String> settings, Supplier<T> action) {
    RuntimeConfig conf = spark.conf();
    Map<String, String> previous = new LinkedHashMap<>();
    settings.forEach((k, v) -> {
      previous.put(k, conf.contains(k) ? conf.get(k) : null);
      conf.set(k, v);
    });
    try {
      return action.get();
    } finally {
      previous.forEach((k, v) -> {
        if (v == null) {
          conf.unset(k);
        } else {
          conf.set(k, v);
        }
      });
    }
  }
}
