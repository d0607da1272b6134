package io.spill.storage.s3;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StorageAccessException;
import io.spill.spi.StoreEntry;
import io.spill.spi.SupportsConditionalWrite;
import io.spill.spi.SupportsIncompleteUploads;
import io.spill.spi.SupportsLocalStaging;
import io.spill.spi.VersionedContent;
import io.spill.spi.helpers.BoundedParallel;
import io.spill.spi.helpers.StorePaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link SpillStore} on an S3 bucket below a prefix ({@code s3://bucket/prefix}), on AWS or an
 * S3-compatible server.
 *
 * <p>Spark reads and writes through Hadoop's s3a file system, under a URI scheme of spill's own
 * ({@code s3a-spill-<fingerprint>://bucket/...}, mapped to s3a's {@code S3AFileSystem}: the
 * runtime's own on Databricks, Apache's {@code hadoop-aws} elsewhere). Hadoop caches one file
 * system per scheme, bucket and user and hands it out whatever settings a later caller passes:
 * under {@code s3a://}, spill's endpoint and keys would be ignored when the user's code opened the
 * bucket first, and the user's own later reads of the bucket would run with spill's keys. Under its
 * own scheme spill's settings reach spill's I/O and nothing else. The fingerprint is a salted hash
 * of the settings, so stores with other settings (rotated session credentials, say) get a file
 * system of their own, and the same settings share one. The settings are {@linkplain
 * #sparkOptions() scoped to this bucket} ({@code fs.s3a.bucket.<bucket>.*}) and passed with each of
 * spill's reads and writes, never set on the session, on classic and Spark Connect sessions alike.
 * Listing, small files and deletes go through the AWS SDK v2, deletes in batches. The engine on the
 * driver cannot open {@code s3a://} files, so spill {@linkplain SupportsLocalStaging stages} them:
 * a parallel, bounded download of exactly the committed files, and a parallel upload of what the
 * engine wrote, multipart for large files. Checkpoint manifests are committed by compare-and-swap
 * ({@code If-Match}, {@code If-None-Match}).
 *
 * <p>spill never creates a bucket: opening a store checks that the bucket exists and is reachable,
 * and fails within seconds, naming the fix, if not. No credential appears in a message, a log line
 * or {@link #toString()}.
 */
public final class S3SpillStore
    implements SpillStore,
        SupportsLocalStaging,
        SupportsConditionalWrite,
        SupportsIncompleteUploads {
  private static final Logger LOG = LoggerFactory.getLogger(S3SpillStore.class);

  /** How often one file's download is tried when its body arrives cut short. */
  private static final int DOWNLOAD_ATTEMPTS = 3;

  /** S3's largest batch delete. */
  private static final int DELETE_BATCH = 1000;

  /** How long opening a store may take to find out whether the bucket is reachable. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  /** How often one S3 request is tried, by spill's client and by s3a's SDK client alike. */
  static final int ATTEMPTS = 3;

  /** How often s3a tries one operation again after its SDK client gave up on it. */
  static final int S3A_RETRIES = 1;

  /** The longest wait for a TCP connection to be accepted. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final S3Location location;
  private final S3Settings settings;

  /** Requests and their answers: each attempt bounded by {@code s3.timeout}. */
  private final S3Client s3;

  /**
   * Files' bodies, down and up: an attempt may take as long as it needs while bytes flow, and the
   * socket timeout ends it when they stop, so a large file on a slow link is not cut off.
   */
  private final S3Client transfers;

  private final BoundedParallel parallel;
  private final String scheme;
  private final Map<String, String> sparkOptions;

  /**
   * The s3a file system class spill's scheme maps to: the one a Databricks runtime ships (shaded,
   * and what its {@code fs.s3a.impl} names) where present, else Apache's from {@code hadoop-aws}.
   */
  static final String S3A_IMPLEMENTATION =
      firstPresent(
          "shaded.databricks.org.apache.hadoop.fs.s3a.S3AFileSystem",
          "org.apache.hadoop.fs.s3a.S3AFileSystem");

  private static String firstPresent(String... classes) {
    ClassLoader loader = S3SpillStore.class.getClassLoader();
    for (String c : classes) {
      try {
        Class.forName(c, false, loader);
        return c;
      } catch (ClassNotFoundException | LinkageError absent) {
        // the next one
      }
    }
    return classes[classes.length - 1]; // Spark then names the class it could not find
  }

  /** Salts the scheme's fingerprint, so that it tells nothing about the keys it is made from. */
  private static final byte[] SCHEME_SALT = new java.security.SecureRandom().generateSeed(16);

  private S3SpillStore(S3Location location, S3Settings settings) {
    this.location = location;
    this.settings = settings;
    this.s3 = client(settings, true);
    this.transfers = client(settings, false);
    this.parallel = new BoundedParallel("spill-s3", settings.threads());
    Map<String, String> options = sparkOptions(location.bucket(), settings);
    this.scheme = scheme(options);
    options.put("fs." + scheme + ".impl", S3A_IMPLEMENTATION);
    this.sparkOptions = java.util.Collections.unmodifiableMap(options);
  }

  /** {@code s3a-spill-} and 12 hex digits of a salted SHA-256 of the s3a settings. */
  static String scheme(Map<String, String> options) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(SCHEME_SALT);
      new java.util.TreeMap<>(options)
          .forEach(
              (k, v) ->
                  sha.update(
                      (k + "\u0000" + v + "\u0000")
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return "s3a-spill-" + java.util.HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e); // every JVM has it
    }
  }

  /**
   * Opens a store at {@code location} ({@code s3://bucket/prefix} or {@code s3a://...}) and checks
   * that its bucket exists and can be reached.
   *
   * @param location {@code s3://bucket/prefix} or {@code s3a://bucket/prefix}
   * @param settings the settings
   * @return an open store, which the caller closes
   * @throws SpillConfigurationException if the location or a setting is unusable
   * @throws StorageAccessException if the bucket is missing, the credentials are refused, the
   *     region is wrong or the endpoint cannot be reached
   */
  public static S3SpillStore open(String location, S3Settings settings) {
    S3SpillStore store =
        new S3SpillStore(S3Location.parse(location), requireNonNull(settings, "settings is null"));
    try {
      store.checkBucket();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("spill: S3 store {} on {}", store.location, settings.describeEndpoint());
    return store;
  }

  private static S3Client client(S3Settings settings, boolean boundEachAttempt) {
    S3ClientBuilder b =
        S3Client.builder()
            .region(region(settings))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(Math.max(16, settings.threads() * 2))
                    .connectionTimeout(connectTimeout(settings))
                    .socketTimeout(settings.timeout()))
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(boundEachAttempt ? settings.timeout() : null)
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(ATTEMPTS)
                                .build()));
    if (settings.endpoint() != null) {
      // S3-compatible servers differ in which checksums they take; send them where S3 requires
      // them, and check lengths ourselves (as Hadoop's s3a does by default).
      b.endpointOverride(settings.endpoint())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return b.build();
  }

  private static Region region(S3Settings settings) {
    if (settings.region() != null) {
      return Region.of(settings.region());
    }
    if (settings.endpoint() != null) {
      return Region.US_EAST_1; // what S3-compatible servers sign with unless told otherwise
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new SpillConfigurationException(
          "no AWS region for the S3 store: set option"
              + " s3.region (such as eu-west-1), or AWS_REGION, or a region in the AWS profile");
    }
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKeyId() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        settings.sessionToken() == null
            ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
            : AwsSessionCredentials.create(
                settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()));
  }

  private static Duration connectTimeout(S3Settings settings) {
    return settings.timeout().compareTo(CONNECT_TIMEOUT) < 0 ? settings.timeout() : CONNECT_TIMEOUT;
  }

  /**
   * The s3a settings for this bucket only. Credentials given as options go here too, so Spark
   * reaches the bucket as the store does; without them s3a uses its own default chain. The limits
   * match spill's own client: {@code s3.timeout} for each attempt and for a silent socket, {@link
   * #ATTEMPTS} attempts a request and {@link #S3A_RETRIES} retry of an operation (s3a's defaults, 5
   * attempts and 7 retries with a 200-second socket timeout, keep a save on a dead server going for
   * many minutes). Plain milliseconds where Hadoop 3.3 reads an integer.
   */
  static Map<String, String> sparkOptions(String bucket, S3Settings settings) {
    String p = "fs.s3a.bucket." + bucket + ".";
    Map<String, String> o = new LinkedHashMap<>();
    long timeoutMillis = settings.timeout().toMillis();
    o.put(p + "connection.establish.timeout", String.valueOf(connectTimeout(settings).toMillis()));
    o.put(p + "connection.timeout", String.valueOf(timeoutMillis));
    o.put(p + "connection.request.timeout", timeoutMillis + "ms");
    o.put(p + "attempts.maximum", String.valueOf(ATTEMPTS));
    o.put(p + "retry.limit", String.valueOf(S3A_RETRIES));
    if (settings.endpoint() != null) {
      o.put(p + "endpoint", settings.endpoint().toString());
      o.put(
          p + "connection.ssl.enabled",
          String.valueOf("https".equals(settings.endpoint().getScheme())));
    }
    if (settings.region() != null || settings.endpoint() != null) {
      o.put(p + "endpoint.region", region(settings).id());
    }
    o.put(p + "path.style.access", String.valueOf(settings.pathStyle()));
    if (settings.accessKeyId() != null) {
      o.put(p + "access.key", settings.accessKeyId());
      o.put(p + "secret.key", settings.secretAccessKey());
      if (settings.sessionToken() != null) {
        o.put(p + "session.token", settings.sessionToken());
        o.put(
            p + "aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider");
      } else {
        o.put(
            p + "aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      }
    }
    return o;
  }

  private void checkBucket() {
    try {
      s3.headBucket(
          b ->
              b.bucket(location.bucket())
                  .overrideConfiguration(
                      o -> o.apiCallTimeout(CHECK_TIMEOUT).apiCallAttemptTimeout(CHECK_TIMEOUT)));
    } catch (SdkException e) {
      throw failure("open", "", e);
    }
  }

  /**
   * The location this store is rooted at.
   *
   * @return the location
   */
  public S3Location location() {
    return location;
  }

  // ---------------------------------------------------------------------------------------------
  // SpillStore

  @Override
  public String sparkUri(String path) {
    return location.uri(scheme, check(path, true));
  }

  @Override
  public Map<String, String> sparkOptions() {
    return sparkOptions;
  }

  @Override
  public List<StoreEntry> list(String directory) {
    String prefix = location.childPrefix(check(directory, true));
    List<StoreEntry> entries = new ArrayList<>();
    try {
      for (ListObjectsV2Response page :
          s3.listObjectsV2Paginator(
              b -> b.bucket(location.bucket()).prefix(prefix).delimiter("/"))) {
        for (S3Object o : page.contents()) {
          String name = o.key().substring(prefix.length());
          if (!name.isEmpty()) { // "dir/" itself: a directory marker, not a child
            entries.add(
                new StoreEntry(
                    name,
                    false,
                    o.size(),
                    o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
          }
        }
        for (CommonPrefix c : page.commonPrefixes()) {
          String name = c.prefix().substring(prefix.length(), c.prefix().length() - 1);
          if (!name.isEmpty()) {
            entries.add(new StoreEntry(name, true, 0, Instant.EPOCH));
          }
        }
      }
    } catch (SdkException e) {
      throw failure("list", directory, e);
    }
    entries.sort(Comparator.comparing(StoreEntry::name));
    return entries;
  }

  @Override
  public byte[] read(String file) {
    return readVersioned(file)
        .map(VersionedContent::content)
        .orElseThrow(() -> new SpillException("no file " + file + " in " + location));
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
    String key = location.key(check(file, false));
    try {
      if (length == 0) {
        long size = s3.headObject(b -> b.bucket(location.bucket()).key(key)).contentLength();
        if (offset > size) {
          throw new SpillException(
              file
                  + " in "
                  + location
                  + " has "
                  + size
                  + " bytes; cannot"
                  + " read from offset "
                  + offset);
        }
        return new byte[0];
      }
      ResponseBytes<GetObjectResponse> bytes =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(location.bucket())
                      .key(key)
                      .range("bytes=" + offset + "-" + (offset + length - 1)));
      byte[] out = bytes.asByteArray();
      if (out.length != length) {
        throw new SpillException(
            file
                + " in "
                + location
                + " ends before offset "
                + (offset + length)
                + ": got "
                + out.length
                + " of "
                + length
                + " bytes");
      }
      return out;
    } catch (NoSuchKeyException e) {
      throw new SpillException("no file " + file + " in " + location, e);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        throw new SpillException(file + " in " + location + " ends before offset " + offset, e);
      }
      if (e.statusCode() == 404) {
        throw new SpillException("no file " + file + " in " + location, e);
      }
      throw failure("read", file, e);
    } catch (SdkException e) {
      throw failure("read", file, e);
    }
  }

  /** One PUT: S3 shows the old object or the whole new one, never a part. */
  @Override
  public void write(String file, byte[] content) {
    String key = location.key(check(file, false));
    try {
      s3.putObject(b -> b.bucket(location.bucket()).key(key), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw failure("write", file, e);
    }
  }

  @Override
  public boolean deleteFile(String file) {
    String key = location.key(check(file, false));
    try {
      if (!objectExists(key)) {
        if (prefixHoldsAnything(key + "/")) {
          throw new SpillException(
              file
                  + " in "
                  + location
                  + " is a directory; spill deletes"
                  + " files one by one and directories only once empty");
        }
        return false;
      }
      s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw failure("delete", file, e);
    }
  }

  /** S3's batch delete, up to 1000 keys a request. */
  @Override
  public int deleteFiles(List<String> files) {
    List<String> keys = files.stream().map(f -> location.key(check(f, false))).toList();
    int removed = 0;
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> batch =
          keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      DeleteObjectsResponse r;
      try {
        r =
            s3.deleteObjects(
                b ->
                    b.bucket(location.bucket())
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
      } catch (SdkException e) {
        throw failure("delete " + batch.size() + " files in", "", e);
      }
      if (r.hasErrors() && !r.errors().isEmpty()) {
        throw new SpillException(
            "S3 could not delete "
                + r.errors().size()
                + " of "
                + batch.size()
                + " files in "
                + location
                + ", for example "
                + r.errors().get(0).key()
                + " ("
                + r.errors().get(0).code()
                + ": "
                + r.errors().get(0).message()
                + ")");
      }
      removed += batch.size();
    }
    return removed;
  }

  /**
   * A prefix is a directory only while something is below it. What is left of it is at most a
   * directory marker (an empty object named {@code dir/}, which Hadoop's s3a may write): that is
   * removed too.
   */
  @Override
  public boolean deleteEmptyDirectory(String directory) {
    if (check(directory, false).isEmpty()) {
      throw new IllegalArgumentException("the root is not a directory spill removes");
    }
    String prefix = location.childPrefix(directory);
    try {
      ListObjectsV2Response r =
          s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(2));
      List<S3Object> below = r.contents();
      if (below.isEmpty()) {
        return true;
      }
      if (below.size() == 1 && below.get(0).key().equals(prefix) && below.get(0).size() == 0) {
        s3.deleteObject(b -> b.bucket(location.bucket()).key(prefix));
        return true;
      }
      return false;
    } catch (SdkException e) {
      throw failure("remove the directory", directory, e);
    }
  }

  @Override
  public boolean exists(String path) {
    String key = location.key(check(path, false));
    try {
      return objectExists(key) || prefixHoldsAnything(key + "/");
    } catch (SdkException e) {
      throw failure("look up", path, e);
    }
  }

  @Override
  public String describe() {
    return location.toString();
  }

  @Override
  public void close() {
    parallel.close();
    s3.close();
    transfers.close();
  }

  @Override
  public String toString() {
    return "S3SpillStore[" + location + ", " + settings + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // SupportsConditionalWrite

  @Override
  public Optional<VersionedContent> readVersioned(String file) {
    String key = location.key(check(file, false));
    try {
      ResponseBytes<GetObjectResponse> bytes =
          s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key));
      return Optional.of(new VersionedContent(bytes.asByteArray(), bytes.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", file, e);
    } catch (SdkException e) {
      throw failure("read", file, e);
    }
  }

  @Override
  public boolean writeIfVersion(String file, byte[] content, String expectedVersion) {
    String key = location.key(check(file, false));
    try {
      s3.putObject(
          b -> {
            b.bucket(location.bucket()).key(key);
            if (expectedVersion == null) {
              b.ifNoneMatch("*");
            } else {
              b.ifMatch(expectedVersion);
            }
          },
          RequestBody.fromBytes(content));
      return true;
    } catch (S3Exception e) {
      // 412: the precondition failed; 409: a concurrent conditional write won the race; 404 on
      // If-Match: the version expected is gone
      if (e.statusCode() == 412
          || e.statusCode() == 409
          || (e.statusCode() == 404 && expectedVersion != null)) {
        return false;
      }
      throw failure("write", file, e);
    } catch (SdkException e) {
      throw failure("write", file, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SupportsLocalStaging

  @Override
  public void download(Map<String, Path> files) {
    files.keySet().forEach(f -> check(f, false));
    inParallel(
        files,
        "download from " + location,
        (file, target) -> downloadOne(file, location.key(file), target));
  }

  /**
   * Downloads one file. A body cut short (the connection dropped, a length that does not match what
   * S3 announced) is tried again from the start, up to {@link #DOWNLOAD_ATTEMPTS} times; a partial
   * file is never left behind as if it were whole.
   */
  private void downloadOne(String file, String key, Path target) {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.deleteIfExists(target);
        GetObjectResponse r =
            transfers.getObject(
                b -> b.bucket(location.bucket()).key(key), ResponseTransformer.toFile(target));
        long got = Files.size(target);
        if (r.contentLength() == null || got == r.contentLength()) {
          return;
        }
        String shortBody =
            "downloading "
                + file
                + " from "
                + location
                + " gave "
                + got
                + " of "
                + r.contentLength()
                + " bytes";
        if (attempt >= DOWNLOAD_ATTEMPTS) {
          Files.deleteIfExists(target);
          throw new SpillException(shortBody + ", " + attempt + " times");
        }
        LOG.warn("spill: {}; trying again", shortBody);
      } catch (IOException e) {
        throw new SpillException(
            "cannot write the download of " + file + " to " + target + ": " + e.getMessage(), e);
      } catch (S3Exception e) {
        throw failure("download", file, e);
      } catch (SdkException e) { // the connection dropped, or the body ended early
        if (attempt >= DOWNLOAD_ATTEMPTS) {
          try {
            Files.deleteIfExists(target);
          } catch (IOException ignored) {
            e.addSuppressed(ignored);
          }
          throw failure("download", file, e);
        }
        LOG.warn(
            "spill: downloading {} from {} failed ({}); trying again",
            file,
            location,
            e.getMessage());
      }
    }
  }

  @Override
  public void upload(Map<Path, String> files) {
    files.values().forEach(f -> check(f, false));
    inParallel(
        files,
        "upload to " + location,
        (source, file) -> uploadOne(source, file, location.key(file)));
  }

  private void uploadOne(Path source, String file, String key) {
    try {
      long size = Files.size(source);
      if (size <= settings.partSize()) {
        transfers.putObject(
            b -> b.bucket(location.bucket()).key(key), RequestBody.fromFile(source));
      } else {
        uploadInParts(source, key, size);
      }
      HeadObjectResponse head = s3.headObject(b -> b.bucket(location.bucket()).key(key));
      if (head.contentLength() != size) {
        throw new SpillException(
            "uploading "
                + source
                + " to "
                + file
                + " in "
                + location
                + " stored "
                + head.contentLength()
                + " of "
                + size
                + " bytes");
      }
    } catch (IOException e) {
      throw new SpillException("cannot read " + source + " to upload it: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw failure("upload", file, e);
    }
  }

  @Override
  public List<String> incompleteUploads(String directory) {
    String prefix = location.childPrefix(check(directory, true));
    Set<String> files = new TreeSet<>();
    try {
      for (ListMultipartUploadsResponse page :
          s3.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(prefix))) {
        for (MultipartUpload u : page.uploads()) {
          String path = location.path(u.key());
          if (path != null) {
            files.add(path);
          }
        }
      }
    } catch (SdkException e) {
      throw failure("list the incomplete uploads below", directory, e);
    }
    return List.copyOf(files);
  }

  @Override
  public int abortIncompleteUploads(String file) {
    String key = location.key(check(file, false));
    int aborted = 0;
    try {
      for (ListMultipartUploadsResponse page :
          s3.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(key))) {
        for (MultipartUpload u : page.uploads()) {
          if (u.key().equals(key)) {
            s3.abortMultipartUpload(
                b -> b.bucket(location.bucket()).key(key).uploadId(u.uploadId()));
            aborted++;
          }
        }
      }
    } catch (SdkException e) {
      throw failure("abort the incomplete uploads of", file, e);
    }
    return aborted;
  }

  /** A multipart upload: parts in order, committed by the last request, aborted on failure. */
  private void uploadInParts(Path source, String key, long size) throws IOException {
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)).uploadId();
    try (InputStream in = Files.newInputStream(source)) {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[(int) settings.partSize()];
      for (int number = 1; (long) (number - 1) * settings.partSize() < size; number++) {
        int length = in.readNBytes(buffer, 0, buffer.length);
        int part = number;
        // a fresh stream over the same buffer for each attempt: no copy, and retries resend it
        String etag =
            transfers
                .uploadPart(
                    b ->
                        b.bucket(location.bucket())
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(part)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(buffer, 0, length),
                        length,
                        "application/octet-stream"))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(location.bucket())
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  /** Runs {@code one} for every entry on the store's bounded pool and waits for all of them. */
  private <K, V> void inParallel(Map<K, V> files, String what, BiConsumer<K, V> one) {
    parallel.forEach(what, files.entrySet(), e -> one.accept(e.getKey(), e.getValue()));
  }

  // ---------------------------------------------------------------------------------------------

  private boolean objectExists(String key) {
    try {
      s3.headObject(b -> b.bucket(location.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private boolean prefixHoldsAnything(String prefix) {
    return !s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1))
        .contents()
        .isEmpty();
  }

  private static String check(String path, boolean allowRoot) {
    return StorePaths.requireRelative(path, allowRoot);
  }

  /**
   * The error for a failed S3 call: what failed, where, and the fix for the usual causes. No
   * credential appears in it, even where a server echoes one.
   */
  private SpillException failure(String action, String path, SdkException e) {
    String where = path.isEmpty() ? location.toString() : path + " in " + location;
    String message;
    if (e instanceof S3Exception s) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      Optional<String> bucketRegion =
          s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
              ? Optional.empty()
              : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
      int status = s.statusCode();
      if (status == 404 && (code == null || code.equals("NoSuchBucket") || path.isEmpty())) {
        message =
            "bucket '"
                + location.bucket()
                + "' does not exist on "
                + settings.describeEndpoint()
                + " (HTTP 404). spill never creates a bucket: create"
                + " it, or fix the location";
      } else if (bucketRegion.isPresent()
          || status == 301
          || "AuthorizationHeaderMalformed".equals(code)
          || "PermanentRedirect".equals(code)) {
        message =
            "bucket '"
                + location.bucket()
                + "' is not in region "
                + (settings.region() == null ? "(default chain)" : settings.region())
                + bucketRegion.map(r -> " but in " + r).orElse("")
                + " (HTTP "
                + status
                + (code == null ? "" : ", " + code)
                + "): set option s3.region to "
                + bucketRegion.orElse("the bucket's region");
      } else if (status == 403
          || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code)) {
        message =
            "S3 refused to "
                + action
                + " "
                + where
                + " (HTTP "
                + status
                + (code == null ? "" : ", " + code)
                + "): the credentials are wrong or lack"
                + " permission. Check s3.access-key-id and s3.secret-access-key (or the AWS default"
                + " credential chain) and the bucket's policy";
      } else {
        message =
            "S3 could not "
                + action
                + " "
                + where
                + " (HTTP "
                + status
                + (code == null ? "" : ", " + code)
                + "): "
                + e.getMessage();
      }
    } else if (e instanceof SdkClientException) {
      message =
          "cannot "
              + action
              + " "
              + where
              + ": "
              + settings.describeEndpoint()
              + " did not answer in time or refused the connection ("
              + e.getMessage()
              + "). Check"
              + " s3.endpoint, the network, and s3.timeout";
    } else {
      message = "S3 could not " + action + " " + where + ": " + e.getMessage();
    }
    return new StorageAccessException(redact(message), e);
  }

  private String redact(String message) {
    String out = message;
    for (String secret :
        new String[] {
          settings.secretAccessKey(), settings.sessionToken(), settings.accessKeyId()
        }) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }
}
