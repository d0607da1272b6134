package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import io.spill.ToEngine;
import io.spill.VolumeSpiller;
import io.spill.spi.SpillException;
import io.spill.testkit.Soak;
import io.spill.testkit.SparkTestSession;
import io.spill.testkit.SparkTypeSamples;
import io.spill.testkit.SparkTypeSamples.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every Spark type Spark → Arrow → Spark, eager and lazy (see {@link #ways}), on a real local
 * Spark; checks each against what this class declares, and writes the table of outcomes into {@code
 * target/reports/TYPES-arrow.md}, which must equal its section of {@code docs/TYPES.md}. A case
 * arrives equal (same type, same values, both ways), arrives changed (a named type, the values
 * compared as text), or is refused with an error naming the column; anything else fails.
 */
class TypeTableTest {
  private static final Map<Integer, String> ROWS = new ConcurrentHashMap<>();

  /**
   * What happens to a Spark type sent to the Arrow engine and back.
   *
   * @param arrowType the frame's Arrow type for the column
   * @param back null when the type comes back as it was; else the Spark type it comes back as, or
   *     {@code "refused: <fragment>"}
   * @param note what a user should know
   */
  record Case(String arrowType, String back, String note) {}

  private static final String TS_UTC = "Timestamp(MICROSECOND, UTC)";

  private static final Map<String, Case> CASES =
      Map.ofEntries(
          Map.entry("BOOLEAN", new Case("Bool", null, "")),
          Map.entry("TINYINT", new Case("Int(8, true)", null, "")),
          Map.entry("SMALLINT", new Case("Int(16, true)", null, "")),
          Map.entry("INT", new Case("Int(32, true)", null, "")),
          Map.entry("BIGINT", new Case("Int(64, true)", null, "")),
          Map.entry(
              "FLOAT",
              new Case("FloatingPoint(SINGLE)", null, "NaN, infinities and -0.0 included")),
          Map.entry("DOUBLE", new Case("FloatingPoint(DOUBLE)", null, "")),
          Map.entry("DECIMAL(1,0)", new Case("Decimal(1, 0, 128)", null, "")),
          Map.entry("DECIMAL(18,2)", new Case("Decimal(18, 2, 128)", null, "")),
          Map.entry("DECIMAL(38,0)", new Case("Decimal(38, 0, 128)", null, "the widest precision")),
          Map.entry("DECIMAL(38,38)", new Case("Decimal(38, 38, 128)", null, "the largest scale")),
          Map.entry("STRING", new Case("Utf8", null, "")),
          Map.entry("CHAR in a query", new Case("Utf8", null, "CHAR's padding is kept")),
          Map.entry(
              "CHAR(5)",
              new Case(
                  "Utf8",
                  "STRING",
                  "with spark.sql.preserveCharVarcharTypeInfo=true; Parquet has no CHAR, the"
                      + " padded value comes back as a STRING")),
          Map.entry(
              "VARCHAR(5)",
              new Case(
                  "Utf8",
                  "STRING",
                  "with spark.sql.preserveCharVarcharTypeInfo=true; back as a STRING")),
          Map.entry(
              "TIME(6)",
              new Case(
                  "Time(MICROSECOND, 64)",
                  null,
                  "with spark.sql.timeType.enabled=true (off by default in Spark 4.2)")),
          Map.entry("BINARY", new Case("Binary", null, "")),
          Map.entry("DATE", new Case("Date(DAY)", null, "before the Gregorian switch too")),
          Map.entry("TIMESTAMP", new Case(TS_UTC, null, "an instant")),
          Map.entry(
              "TIMESTAMP_NTZ", new Case("Timestamp(MICROSECOND, null)", null, "a local date-time")),
          Map.entry("INTERVAL YEAR TO MONTH", new Case("Interval(YEAR_MONTH)", null, "")),
          Map.entry("INTERVAL DAY TO SECOND", new Case("Duration(MICROSECOND)", null, "")),
          Map.entry("INTERVAL HOUR", new Case("Duration(MICROSECOND)", null, "")),
          Map.entry(
              "legacy INTERVAL",
              new Case("–", "refused: legacy INTERVAL type", "refused before anything is written")),
          Map.entry("ARRAY<INT>", new Case("List<Int(32, true)>", null, "")),
          Map.entry("ARRAY<ARRAY<STRING>>", new Case("List<List<Utf8>>", null, "")),
          Map.entry("MAP<STRING, BIGINT>", new Case("Map<Utf8, Int(64, true)>", null, "")),
          Map.entry(
              "STRUCT", new Case("Struct<a: Int(32, true), t: " + TS_UTC + ", n: Utf8>", null, "")),
          Map.entry(
              "nested timestamps",
              new Case(
                  "List<Struct<m: Map<" + TS_UTC + ", List<Timestamp(MICROSECOND, null)>>>>",
                  null,
                  "instants stay instants at any depth")),
          Map.entry(
              "VARIANT",
              new Case(
                  "–",
                  "refused: column 'c' has Spark type VARIANT",
                  "refused when it reaches the engine; the error says to_json(col)")),
          Map.entry(
              "VOID",
              new Case(
                  "–",
                  "refused: column 'c' has Spark type VOID",
                  "the error says to give it a type")));

  @TempDir static Path tmp;
  private static ArrowFrameEngine engine;
  private static VolumeSpiller<ArrowFrame> spill; // one for all cases: a spiller per case costs

  @BeforeAll
  static void open() {
    engine = ArrowEngine.create();
    spill =
        VolumeSpiller.builder(SparkTestSession.get())
            .engine(engine)
            .store(tmp.resolve("volume").toUri().toString())
            .localDir(tmp.resolve("local"))
            .mode(Mode.DEV)
            .shutdownHook(false)
            .build();
  }

  @AfterAll
  static void close() {
    spill.close();
    assertThat(engine.allocatedBytes()).isZero();
  }

  static List<Sample> samples() {
    return SparkTypeSamples.all();
  }

  @ParameterizedTest(name = "Spark {0}")
  @MethodSource("samples")
  void sparkTypes(Sample sample) {
    Case c = CASES.get(sample.key());
    assertThat(c).as("an outcome declared for " + sample.key()).isNotNull();
    String row =
        sample.withConf(
            () -> {
              Dataset<Row> df = sample.dataset();
              String sparkType = SparkTypeSamples.typeOf(df);
              String values = String.join(", ", sample.values());
              List<List<String>> outcomes = new ArrayList<>();
              for (ToEngine how : ways(sample)) {
                outcomes.add(transfer(sample, df, c, how));
              }
              for (List<String> o : outcomes) {
                assertThat(o).as("each way of " + sample.key()).isEqualTo(outcomes.get(0));
              }
              List<String> o = outcomes.get(0);
              return SparkTypeSamples.row(
                  sparkType, values, o.get(0), o.get(1), o.get(2), c.note());
            });
    ROWS.put(SparkTypeSamples.all().indexOf(sample), row);
  }

  /** The Arrow type in the frame, the Spark type back, and the outcome, of one way. */
  private static List<String> transfer(Sample sample, Dataset<Row> df, Case c, ToEngine how) {
    String arrowType = "–";
    String backType = "–";
    try {
      ArrowFrame frame;
      try {
        frame = spill.sparkToEngine(df, how);
      } catch (SpillException e) {
        if (how.path() != ToEngine.Path.ARROW
            || !String.valueOf(e.getMessage()).contains("has no Arrow form")) {
          throw e;
        }
        // a type the Arrow path leaves to the spill path: auto spills it
        assertThat(e.getMessage()).contains("column 'c'");
        assertThat(sample.key()).isIn(WITHOUT_ARROW_FORM);
        frame = spill.sparkToEngine(df, ToEngine.auto());
      }
      arrowType = describe(frame.schema().findField("c"));
      assertThat(arrowType).as(how.toString()).isEqualTo(c.arrowType());
      Dataset<Row> back = spill.engineToSpark(frame);
      backType = SparkTypeSamples.typeOf(back);
      return List.of(arrowType, backType, SparkTypeSamples.assertCameBack(df, back, c.back()));
    } catch (SpillException e) {
      return List.of(arrowType, backType, SparkTypeSamples.assertRefused(e, c.back()));
    }
  }

  /** The samples whose Spark type spill's Arrow path leaves to the spill path. */
  private static final List<String> WITHOUT_ARROW_FORM =
      List.of("CHAR(5)", "VARCHAR(5)", "TIME(6)", "legacy INTERVAL", "VARIANT", "VOID");

  /**
   * Arrow batches, and the spill path: both eager and lazy in the full tier; in the README's test
   * command one of them per type, eager and lazy in turn down the list, so that both still meet
   * most kinds of type.
   */
  private static List<ToEngine> ways(Sample sample) {
    if (Soak.isFull()) {
      return List.of(ToEngine.arrow(), ToEngine.eager(), ToEngine.lazy());
    }
    return List.of(
        ToEngine.arrow(),
        SparkTypeSamples.all().indexOf(sample) % 2 == 0 ? ToEngine.eager() : ToEngine.lazy());
  }

  /** An Arrow field's type, children included, shortly. */
  static String describe(Field f) {
    ArrowType t = f.getType();
    return switch (t.getTypeID()) {
      case List, LargeList, FixedSizeList -> "List<" + describe(f.getChildren().get(0)) + ">";
      case Struct ->
          f.getChildren().stream()
              .map(c -> c.getName() + ": " + describe(c))
              .collect(Collectors.joining(", ", "Struct<", ">"));
      case Map -> {
        List<Field> entry = f.getChildren().get(0).getChildren();
        yield "Map<" + describe(entry.get(0)) + ", " + describe(entry.get(1)) + ">";
      }
      default -> t.toString();
    };
  }

  @AfterAll
  static void writeTable() {
    if (ROWS.size() != SparkTypeSamples.all().size()) {
      System.out.println("TypeTableTest: not every case ran, so docs/TYPES.md was not compared");
      return;
    }
    StringBuilder out =
        new StringBuilder(
            """
        Measured on a real local Spark %s by `TypeTableTest` in `spill-engine-arrow`, through
        Arrow batches, eager and lazy alike (the full tier sends each type all three ways, the
        README's test command through Arrow batches and one spill way per type, in turn), which
        fails if this section differs or the ways differ.

        ### Spark → Arrow → Spark

        | Spark type | Values sent | In Arrow | Back in Spark | Outcome | Note |
        |---|---|---|---|---|---|
        """
                .formatted(SparkTestSession.get().version()));
    new TreeMap<>(ROWS).values().forEach(r -> out.append(r).append('\n'));
    SparkTypeSamples.assertDocumented("arrow", out.toString());
  }
}
