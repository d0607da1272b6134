package io.spill.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.FrameEngine;
import io.spill.spi.SpillException;
import io.spill.spi.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Parquet files of the public corpus {@code apache/parquet-testing} (kept in this module's
 * resources under {@code parquet-testing/}, with its licence), and the rule every engine is held to
 * on each: read the file as Spark reads it, or refuse it with a {@link SpillException}.
 *
 * <ul>
 *   <li>Where Spark reads the file, the engine reads it (eager and lazy), writes it back, and Spark
 *       reads exactly the rows and values it reads from the original; or the engine refuses it with
 *       a {@link SpillException} that names the file or a column of it.
 *   <li>Where Spark itself cannot read the file (a codec or a type it lacks, a malformed page), the
 *       engine refuses it the same way, or reads it: then what it writes back must be Parquet that
 *       Spark reads, with as many rows as the file's footer says.
 * </ul>
 *
 * <p>Never another exception, never other values, and never a dead JVM. Left out of the corpus: its
 * encrypted files, and {@code large_string_map.brotli.parquet} (4 KB holding a 2 GiB string map),
 * which Spark refuses for its missing Brotli codec and whose map cannot fit a JVM's array.
 */
public final class ParquetTestingCorpus {
  private ParquetTestingCorpus() {}

  /**
   * The names of the corpus files.
   *
   * @return file names, sorted
   */
  public static List<String> names() {
    try (InputStream in = resource("FILES")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two map keys of 1 GiB each in 4 KB of Brotli: read eager only (see {@link #check}). */
  static final String LARGE_STRING_MAP = "large_string_map.brotli.parquet";

  /** The files the quick tier reads: one or more of each outcome and each layout. */
  private static final List<String> QUICK =
      List.of(
          "alltypes_plain.parquet",
          "byte_array_decimal.parquet",
          "float16_nonzeros_and_nans.parquet",
          "geospatial__crs-srid.parquet",
          "int96_from_spark.parquet",
          "map_no_value.parquet",
          "nation.dict-malformed.parquet",
          "nested_maps.snappy.parquet",
          "nested_structs.rust.parquet",
          "non_hadoop_lz4_compressed.parquet",
          "null_list.parquet",
          "old_list_structure.parquet",
          "repeated_no_annotation.parquet",
          "unknown-logical-type.parquet");

  /**
   * The files this tier reads: every one in the full tier ({@link Soak#isFull()}), in the quick
   * tier a fixed subset holding one or more of each outcome (equal, refused, read where Spark
   * cannot) and of each layout (nested, legacy lists and maps, INT96, codecs, encodings).
   *
   * @return file names
   */
  public static List<String> namesForTier() {
    List<String> all = names();
    if (Soak.isFull()) {
      return all;
    }
    if (!all.containsAll(QUICK)) {
      throw new IllegalStateException("the quick tier names a file the corpus does not hold");
    }
    return QUICK;
  }

  /**
   * A corpus file copied into {@code dir}, where engines and Spark can read it whether the testkit
   * is a folder or a jar.
   *
   * @param name a name of {@link #names()}
   * @param dir a folder
   * @return the copy
   */
  public static Path copy(String name, Path dir) {
    try (InputStream in = resource(name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    return Objects.requireNonNull(
        ParquetTestingCorpus.class.getResourceAsStream("/parquet-testing/" + name),
        "missing test resource parquet-testing/" + name);
  }

  /**
   * Holds {@code engine} to the rule above on one corpus file, eager and lazy ({@code
   * large_string_map.brotli.parquet} eager only: read lazily, it decodes the same 2 GiB again).
   *
   * @param engine the engine
   * @param name a name of {@link #names()}
   * @param dir an empty folder for the copy and what the engine writes
   * @param <F> the engine's frame type
   * @return what happened, one line per read, for the test's output
   */
  public static <F> String check(FrameEngine<F> engine, String name, Path dir) {
    Path file = copy(name, dir);
    Dataset<Row> original;
    List<Row> sparkRows;
    try {
      original = SparkTestSession.get().read().parquet(file.toUri().toString());
      sparkRows = original.collectAsList();
    } catch (Exception sparkCannot) { // SparkException is checked, and thrown undeclared
      sparkRows = null;
    }
    StringBuilder outcome = new StringBuilder();
    // the 2 GiB string map eager only: a lazy read decodes the same 2 GiB again (a minute of CI)
    boolean[] modes =
        name.equals(LARGE_STRING_MAP) ? new boolean[] {false} : new boolean[] {false, true};
    for (boolean lazy : modes) {
      Path target = dir.resolve("out-" + lazy);
      outcome.append(name).append(lazy ? " lazy: " : " eager: ");
      WriteResult written;
      F frame = null;
      try {
        frame = engine.read(List.of(file.toString()), null, lazy);
        written = engine.write(frame, target.toString(), 1L << 27);
      } catch (SpillException refused) {
        assertThat(refused.getMessage())
            .as("the refusal names the file or a column")
            .containsAnyOf(name, "column");
        outcome.append("refused: ").append(refused.getMessage()).append('\n');
        continue;
      } finally {
        if (frame != null) {
          engine.release(frame);
        }
      }
      Dataset<Row> back =
          SparkTestSession.get()
              .read()
              .parquet(
                  written.files().stream()
                      .map(f -> target.resolve(f).toUri().toString())
                      .toArray(String[]::new));
      if (sparkRows != null) {
        SparkSamples.assertSameRows(sparkRows, back.collectAsList());
        outcome.append("equal to Spark's reading\n");
      } else {
        // counted, not collected: large_string_map's 1 GiB keys would exhaust the test's heap
        assertThat(back.count()).isEqualTo(footerRows(file));
        outcome.append("read, where Spark cannot; Spark reads what it wrote back\n");
      }
    }
    return outcome.toString();
  }

  private static long footerRows(Path file) {
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      return r.getRecordCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
