package io.spill.bench;

import io.spill.Storage;
import io.spill.VolumeSpiller;
import io.spill.engine.duckdb.DuckDbEngine;
import io.spill.engine.duckdb.DuckDbFrame;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsLocalStaging;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 cases: a checkpoint Spark saved to an S3 store (s3proxy over memory, in this JVM, on
 * 127.0.0.1) read into DuckDB by spill (a parallel download of the committed files to the driver's
 * disk, then a load or a lazy scan), against Spark reading the same files through s3a and running
 * the same query.
 */
final class S3Bench implements AutoCloseable {
  static final String SPARK_READS = "Spark reads the files (s3a), same query";
  static final String DOWNLOAD = "download only (spill's staging)";
  private static final String KEY = "bench-access";
  private static final String SECRET = "bench-secret";

  private final S3Proxy proxy;
  private final Map<String, String> options = new LinkedHashMap<>();

  S3Bench() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    for (int i = 0; i < 500 && !proxy.getState().equals("STARTED"); i++) {
      Thread.sleep(10);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client admin =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
            .build()) {
      admin.createBucket(b -> b.bucket("bench"));
    }
    options.put("s3.endpoint", endpoint.toString());
    options.put("s3.region", "us-east-1");
    options.put("s3.path-style-access", "true");
    options.put("s3.access-key-id", KEY);
    options.put("s3.secret-access-key", SECRET);
  }

  /** A spiller on the bucket, with spill's default S3 threads. */
  VolumeSpiller<DuckDbFrame> spiller(org.apache.spark.sql.SparkSession spark, Path local) {
    return VolumeSpiller.builder(spark)
        .engine(DuckDbEngine.create())
        .store("s3://bench/spill")
        .options(options)
        .localDir(local)
        .build();
  }

  /** The cases over checkpoint {@code name}, which holds {@code rows} rows. */
  static List<BenchCase> cases(
      VolumeSpiller<DuckDbFrame> spill, String name, long rows, Path scratch) {
    SpillStore store = spill.store(Storage.VOLUME);
    String dir = "_spill/checkpoints/" + name;
    return List.of(
        s3Case(
            "spill loadCheckpointFrame (download + load)",
            () -> {
              DuckDbFrame f = spill.loadCheckpointFrame(name);
              long n = Cases.use(f);
              spill.engine().release(f);
              return n;
            }),
        s3Case(
            "spill scanCheckpointFrame (download + lazy scan)",
            () -> {
              DuckDbFrame f = spill.scanCheckpointFrame(name);
              long n = Cases.use(f);
              spill.engine().release(f);
              return n;
            }),
        s3Case(
            DOWNLOAD,
            () -> {
              Path target = Files.createDirectories(scratch.resolve("download"));
              try {
                Map<String, Path> files = new LinkedHashMap<>();
                for (StoreEntry data : store.list(dir)) {
                  if (data.directory()) {
                    for (StoreEntry f : store.list(dir + "/" + data.name())) {
                      if (f.name().endsWith(".parquet")) {
                        files.put(
                            dir + "/" + data.name() + "/" + f.name(),
                            target.resolve(files.size() + ".parquet"));
                      }
                    }
                  }
                }
                ((SupportsLocalStaging) store).download(files);
                return rows; // the files hold the checkpoint's rows (the other cases count them)
              } finally {
                Cases.deleteTree(target);
              }
            }),
        s3Case(
            SPARK_READS,
            () -> {
              Dataset<Row> df = spill.loadCheckpointSpark(name);
              df.createOrReplaceTempView("bench_s3_checkpoint");
              try {
                return df.sparkSession()
                    .sql(String.format(Cases.USE, "bench_s3_checkpoint"))
                    .collectAsList()
                    .get(0)
                    .getLong(0);
              } finally {
                df.sparkSession().catalog().dropTempView("bench_s3_checkpoint");
              }
            }));
  }

  private static BenchCase s3Case(String name, Cases.Action action) {
    return Cases.of(BenchCase.S3_TO_DUCKDB, name, action);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the S3 server", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the S3 server: " + e.getMessage(), e);
    }
  }

  /** Sizes such as {@code 1000000,10000000}; {@code 0} means none. */
  static List<Long> parseSizes(String v) {
    List<Long> sizes = new ArrayList<>();
    for (String s : v.split(",", -1)) {
      if (s.isBlank()) {
        continue;
      }
      long n = Long.parseLong(s.trim());
      if (n < 0) {
        throw new IllegalArgumentException(
            "a size of rows cannot be negative: " + n + " (0 skips those cases)");
      }
      if (n > 0) {
        sizes.add(n);
      }
    }
    return List.copyOf(sizes);
  }
}
