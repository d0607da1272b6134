package io.spill.engine.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.c.jni.JniLoader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.duckdb.DuckDBConnection;

/**
 * An Arrow IPC stream as a view DuckDB scans: the stream is read batch by batch through Arrow's C
 * stream interface ({@code arrow-c-data}, whose native library comes in its jar for Linux, macOS
 * and Windows on x86-64 and Linux and macOS on ARM), registered with {@link
 * DuckDBConnection#registerArrowStream}, its batches merged into larger ones first ({@link
 * MergedBatches}). The view can be scanned once.
 */
final class ArrowStreamScan {
  private static volatile Optional<String> unavailable;

  private ArrowStreamScan() {}

  /**
   * Why Arrow streams cannot reach DuckDB in this JVM, or empty if they can: arrow-c-data must be
   * on the class path at the version of the Arrow the runtime ships (Spark's), and its native
   * library must load on this platform. Found once.
   */
  static Optional<String> unavailable() {
    Optional<String> known = unavailable;
    if (known == null) {
      known = probe();
      unavailable = known;
    }
    return known;
  }

  private static Optional<String> probe() {
    try {
      Optional<String> mismatch =
          versionMismatch(
              Data.class.getPackage().getImplementationVersion(),
              VectorSchemaRoot.class.getPackage().getImplementationVersion());
      if (mismatch.isPresent()) {
        return mismatch;
      }
      JniLoader.get().ensureLoaded();
      return Optional.empty();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of(
          "Arrow's C data interface (org.apache.arrow:arrow-c-data and its native library) does"
              + " not load here: "
              + e);
    }
  }

  /**
   * Why arrow-c-data at {@code cData} cannot serve the runtime's arrow-vector at {@code vector}
   * (their versions differ), or empty if it can or a jar does not say its version.
   */
  static Optional<String> versionMismatch(String cData, String vector) {
    if (cData == null || vector == null || Objects.equals(cData, vector)) {
      return Optional.empty();
    }
    return Optional.of(
        "org.apache.arrow:arrow-c-data is "
            + cData
            + " but the runtime's Arrow (arrow-vector) is "
            + vector
            + "; depend on arrow-c-data "
            + vector);
  }

  /**
   * Registers {@code in} under {@code name} (a view), runs {@code scan}, and drops the view.
   *
   * @param name a plain identifier no table of the engine has
   */
  static void scan(
      Connection connection, String name, InputStream in, BufferAllocator allocator, SqlAction scan)
      throws SQLException, IOException {
    try (ArrowReader reader = new MergedBatches(new ArrowStreamReader(in, allocator), allocator);
        ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, reader, stream);
      DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
      duck.registerArrowStream(name, stream);
      try {
        scan.run();
      } finally {
        try (var s = connection.createStatement()) {
          s.execute("DROP VIEW IF EXISTS " + name);
        }
      }
    }
  }

  /** A statement to run while the stream is registered. */
  interface SqlAction {
    void run() throws SQLException;
  }
}
