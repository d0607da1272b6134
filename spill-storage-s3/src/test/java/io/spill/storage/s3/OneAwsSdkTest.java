package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One AWS SDK and one SLF4J provider on the classpath the store and Spark's s3a use: the bundle
 * hadoop-aws brings, at the version spill aligns with. The S3 test server pulls newer SDK modules,
 * which the build leaves out; a second copy of SDK classes would make which one loads a matter of
 * order.
 */
class OneAwsSdkTest {
  @Test
  void onlyTheBundleHoldsAwsSdkClasses() throws Exception {
    List<String> holders = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        if (jar.getEntry("software/amazon/awssdk/core/SdkBytes.class") != null
            || jar.getEntry("software/amazon/awssdk/services/s3/S3Client.class") != null
            || jar.getEntry("software/amazon/awssdk/auth/credentials/AwsCredentials.class")
                != null) {
          holders.add(new File(entry).getName());
        }
      }
    }
    assertThat(holders).containsExactly("bundle-" + System.getProperty("aws.sdk.version") + ".jar");
    assertThat(VersionInfo.SDK_VERSION).isEqualTo(System.getProperty("aws.sdk.version"));
    assertThat(S3Client.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("bundle-" + System.getProperty("aws.sdk.version") + ".jar");
  }

  @Test
  void logbackFromTheS3ServerIsNotASecondSlf4jProvider() {
    assertThat(getClass().getClassLoader().getResource("ch/qos/logback/classic/Logger.class"))
        .isNull();
    assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
        .startsWith("org.apache.logging.slf4j."); // Spark's log4j binding
  }
}
