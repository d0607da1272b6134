package io.spill.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the test class path with Spark's JVM flags. Its output is read by a daemon thread
 * into a queue, so that a test waiting for a line, or for the child to end, never blocks past its
 * own timeout even when the child hangs; a child still running at {@link #close()} is killed.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  // The reader thread appends while the test's thread reads: StringBuffer's locking is the point.
  @SuppressWarnings("JdkObsolete")
  private final StringBuffer output = new StringBuffer();

  /**
   * Starts {@code main} with {@code args} in a new JVM with this JVM's module and system flags.
   *
   * @param heap the child's maximum heap, such as {@code 1g}
   * @param main the class whose {@code main} runs
   * @param args its arguments
   * @throws IOException if the JVM cannot be started
   */
  public ChildJvm(Class<?> main, String heap, String... args) throws IOException {
    this(0, main, heap, args);
  }

  /**
   * As {@link #ChildJvm(Class, String, String...)}, with at most {@code openFileLimit} open files
   * ({@code ulimit -n} through {@code /bin/sh}; 0 for the limit this JVM has).
   *
   * @param openFileLimit the child's limit of open file descriptors, or 0
   * @param main the class whose {@code main} runs
   * @param heap the child's maximum heap, such as {@code 1g}
   * @param args its arguments
   * @throws IOException if the JVM cannot be started
   */
  public ChildJvm(int openFileLimit, Class<?> main, String heap, String... args)
      throws IOException {
    this(Map.of(), openFileLimit, main, heap, args);
  }

  /**
   * As {@link #ChildJvm(Class, String, String...)}, with {@code environment} added to this JVM's
   * environment variables.
   *
   * @param environment the variables to set in the child
   * @param main the class whose {@code main} runs
   * @param heap the child's maximum heap, such as {@code 1g}
   * @param args its arguments
   * @throws IOException if the JVM cannot be started
   */
  public ChildJvm(Map<String, String> environment, Class<?> main, String heap, String... args)
      throws IOException {
    this(environment, 0, main, heap, args);
  }

  private ChildJvm(
      Map<String, String> environment,
      int openFileLimit,
      Class<?> main,
      String heap,
      String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    if (openFileLimit > 0) {
      cmd.addAll(List.of("/bin/sh", "-c", "ulimit -n " + openFileLimit + " && exec \"$@\"", "sh"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    builder.environment().putAll(environment);
    process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  output.append(line).append('\n');
                  lines.add(line);
                }
              } catch (IOException ended) {
                // the child was killed
              }
            },
            "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * This JVM's flags a child needs as well: Spark's module flags ({@code --add-opens} and the
   * like), {@code -XX:} options and system properties.
   *
   * @return the flags, in this JVM's order
   */
  public static List<String> jvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-")
                    || a.startsWith("-D")
                    || a.startsWith("-XX:")
                    || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc"))
        .toList();
  }

  /**
   * The next line starting with {@code prefix}, or null if none came within the timeout.
   *
   * @param prefix how the line starts
   * @param timeout how long to wait
   * @param unit the timeout's unit
   * @return the line, or null
   * @throws InterruptedException if interrupted while waiting
   */
  public String awaitLine(String prefix, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null || line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /**
   * Waits for the child to end; false (and the child killed) if it did not in time.
   *
   * @param timeout how long to wait
   * @param unit the timeout's unit
   * @return whether it ended in time
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
    if (process.waitFor(timeout, unit)) {
      return true;
    }
    kill();
    return false;
  }

  /**
   * SIGKILL: no shutdown hook, no finally block runs in the child. The processes it started (such
   * as the executors of a {@link SparkLocalCluster}) are killed first.
   *
   * @throws InterruptedException if interrupted while waiting for the child to end
   */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * The first line the child printed so far that starts with {@code name} and a space.
   *
   * @param name the line's first word
   * @return the line
   * @throws AssertionError naming the output, if no line starts so
   */
  public String line(String name) {
    String all = output();
    return all.lines()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " line in:\n" + all));
  }

  /**
   * Everything the child printed so far.
   *
   * @return the output
   */
  public String output() {
    return output.toString();
  }

  /** Kills the child if it still runs; an interrupt while waiting for it is kept, not thrown. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
