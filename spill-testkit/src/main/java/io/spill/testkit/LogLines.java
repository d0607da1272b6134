package io.spill.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The lines spill logs while one of these is open, through Log4j 2 (the SLF4J binding Spark ships,
 * which the tests use): for tests of what spill says it did. The logger {@code io.spill} must log
 * at INFO, as the modules' {@code log4j2-test.properties} say.
 */
public final class LogLines implements AutoCloseable {
  private static final String LOGGER = "io.spill";

  private final Capture capture = new Capture();
  private final LoggerConfig config;

  private LogLines(LoggerConfig config) {
    this.config = config;
  }

  /**
   * Starts capturing spill's log lines.
   *
   * @return the capture, to close
   */
  public static LogLines capture() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    LoggerConfig config = configuration.getLoggerConfig(LOGGER);
    if (!config.getName().equals(LOGGER)) {
      throw new IllegalStateException(
          "no logger '" + LOGGER + "' is configured; add it to log4j2-test.properties at INFO");
    }
    LogLines lines = new LogLines(config);
    lines.capture.start();
    config.addAppender(lines.capture, null, null);
    context.updateLoggers();
    return lines;
  }

  /**
   * The messages logged so far, in order.
   *
   * @return the messages
   */
  public List<String> lines() {
    synchronized (capture.lines) {
      return List.copyOf(capture.lines);
    }
  }

  /**
   * The messages logged so far that contain {@code text}.
   *
   * @param text what to look for
   * @return the matching messages
   */
  public List<String> containing(String text) {
    return lines().stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    config.removeAppender(capture.getName());
    capture.stop();
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
  }

  private static final class Capture extends AbstractAppender {
    private final List<String> lines = new ArrayList<>();

    Capture() {
      super("spill-test-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      synchronized (lines) {
        lines.add(event.getMessage().getFormattedMessage());
      }
    }
  }
}
