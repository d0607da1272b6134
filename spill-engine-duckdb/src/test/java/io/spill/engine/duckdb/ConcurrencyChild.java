package io.spill.engine.duckdb;

import io.spill.Mode;
import java.nio.file.Path;

/** A participant of {@link ReliabilityConcurrencyTest} in its own JVM. */
public final class ConcurrencyChild {
  private ConcurrencyChild() {}

  public static void main(String[] args) {
    try {
      String line =
          ConcurrencyWorker.run(
              Path.of(args[0]),
              Integer.parseInt(args[1]),
              Mode.valueOf(args[2]),
              Path.of(args[3]),
              Integer.parseInt(args[4]));
      System.out.println("RESULT OK " + line);
      System.exit(0);
    } catch (Throwable e) {
      System.out.println("RESULT FAIL " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }
}
