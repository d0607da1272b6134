package io.spill.storage.s3;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server in this JVM: s3proxy over an in-memory blob store, on 127.0.0.1 with a free
 * port, signing checked (AWS signature V2 or V4). One per test JVM; buckets are made by tests
 * (through {@link #admin()}), never by spill.
 */
final class S3TestServer {
  static final String ACCESS_KEY = "spill-test-access-key";

  /** Distinctive, so that tests can prove it appears in no message and no log line. */
  static final String SECRET_KEY = "spill-test-SECRET-7f3a9c1e";

  private static S3TestServer instance;

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client admin;

  private S3TestServer() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    for (int i = 0; i < 500 && !proxy.getState().equals("STARTED"); i++) {
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    admin =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  static synchronized S3TestServer get() {
    if (instance == null) {
      try {
        instance = new S3TestServer();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start s3proxy on 127.0.0.1: " + e, e);
      }
    }
    return instance;
  }

  URI endpoint() {
    return endpoint;
  }

  /** A client with the test credentials, for what a test does behind spill's back. */
  S3Client admin() {
    return admin;
  }

  /** A new, empty bucket. */
  String newBucket() {
    String bucket = "spill-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** The {@code s3.*} options that reach this server with the test credentials. */
  Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("s3.endpoint", endpoint.toString());
    o.put("s3.region", "us-east-1");
    o.put("s3.path-style-access", "true");
    o.put("s3.access-key-id", ACCESS_KEY);
    o.put("s3.secret-access-key", SECRET_KEY);
    return o;
  }

  S3Settings settings() {
    return S3Settings.from(options());
  }
}
