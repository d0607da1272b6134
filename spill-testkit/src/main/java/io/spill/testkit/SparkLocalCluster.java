package io.spill.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's {@code local-cluster} master for tests: a standalone master, a worker and an executor JVM
 * of its own on this machine, so that tasks run outside the driver's JVM as on a real cluster.
 * Spark starts the executor from a Spark home's {@code jars} folder; without a Spark distribution,
 * {@link #environment} makes one whose {@code jars} are links to the jars on this JVM's class path.
 *
 * <p>Used in two steps: the test starts a {@link ChildJvm} with {@link #environment}, and the
 * child's {@code main} calls {@link #session}.
 */
public final class SparkLocalCluster {
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  private SparkLocalCluster() {}

  /**
   * The environment a driver JVM needs to start a local cluster: {@code SPARK_HOME}, made under
   * {@code home} (a new or empty folder), and Spark's Scala version.
   *
   * @param home where to make the Spark home
   * @return the variables, for {@link ChildJvm#ChildJvm(Map, Class, String, String...)}
   * @throws IOException if the Spark home cannot be made
   */
  public static Map<String, String> environment(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    int i = 0;
    for (String entry : classPath()) {
      Path path = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        // numbered: two jars of the same name from different folders stay apart
        String name = String.format(Locale.ROOT, "%04d-%s", i++, path.getFileName());
        Files.createSymbolicLink(jars.resolve(name), path.toAbsolutePath());
      }
    }
    String version = scala.util.Properties.versionNumberString();
    return Map.of(
        "SPARK_HOME",
        home.toAbsolutePath().toString(),
        "SPARK_SCALA_VERSION",
        version.substring(0, version.lastIndexOf('.')));
  }

  /**
   * A session on {@code local-cluster[1,cores,1024]}, in a JVM started with {@link #environment}:
   * one executor JVM with {@code cores} task slots and this JVM's class path folders and flags;
   * otherwise set as {@link SparkTestSession} sets its session.
   *
   * @param cores the executor's task slots
   * @return the session
   * @throws IllegalStateException if this JVM has no {@code SPARK_HOME}
   */
  public static SparkSession session(int cores) {
    if (System.getenv("SPARK_HOME") == null) {
      throw new IllegalStateException(
          "SPARK_HOME is not set: start this JVM with SparkLocalCluster.environment(...)");
    }
    List<String> folders = new ArrayList<>();
    for (String entry : classPath()) {
      if (Files.isDirectory(Path.of(entry))) {
        folders.add(entry);
      }
    }
    List<String> flags =
        ChildJvm.jvmFlags().stream().filter(f -> !WHITESPACE.matcher(f).find()).toList();
    return SparkTestSession.configured(
            SparkSession.builder()
                .master("local-cluster[1," + cores + ",1024]")
                .appName("spill-tests-cluster"))
        .config("spark.executor.extraClassPath", String.join(File.pathSeparator, folders))
        .config("spark.executor.extraJavaOptions", String.join(" ", flags))
        .getOrCreate();
  }

  private static String[] classPath() {
    return System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator));
  }
}
