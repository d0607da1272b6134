package io.spill.engine.arrow;

import java.util.List;

/**
 * Reads one Parquet file eagerly with the Arrow engine, in a child JVM whose open files are
 * limited, and prints {@code rows=<n>}.
 */
public final class OpenFilesChild {
  private OpenFilesChild() {}

  public static void main(String[] args) {
    try (ArrowFrameEngine engine = ArrowEngine.create();
        ArrowFrame frame = engine.read(List.of(args[0]), null, false)) {
      System.out.println("rows=" + frame.rowCount());
    }
  }
}
