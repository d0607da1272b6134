package io.spill.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrame utilities Spark lacks. Every method works on any {@code Dataset<Row>}, returns its
 * result (nothing is only logged), quotes column names (names with spaces, dots, backticks, or
 * names such as {@code count} work), and matches the names you pass as Spark does: without regard
 * to case unless {@code spark.sql.caseSensitive} is on.
 */
public final class SparkFrames {
  /** The default number of rows {@link #glimpse(Dataset)} shows. */
  public static final int GLIMPSE_ROWS = 10;

  /** The default line width of {@link #glimpse(Dataset)}. */
  public static final int GLIMPSE_WIDTH = 100;

  private SparkFrames() {}

  // ---------------------------------------------------------------------------------------------
  // glimpse, frameShape

  /**
   * {@link #glimpse(Dataset, int, int)} with {@value #GLIMPSE_ROWS} rows, {@value #GLIMPSE_WIDTH}
   * wide.
   *
   * @param df the Dataset
   * @return the preview, also printed
   */
  public static String glimpse(Dataset<Row> df) {
    return glimpse(df, GLIMPSE_ROWS, GLIMPSE_WIDTH);
  }

  /**
   * A transposed preview in the style of Polars' {@code glimpse}: {@code Rows: N}, {@code Columns:
   * M}, then one line per column, {@code $ name <type> v1, v2, ...}, cut to {@code width}
   * characters. Strings are quoted, nested values are shown as {@code {a: 1}}, {@code [1, 2]} and
   * {@code {k: v}}. Printed to standard output and returned. Runs two Spark jobs: a count and a
   * {@code limit(n)}.
   *
   * @param n how many rows to show (0 or more)
   * @param width the line width (at least 20)
   * @param df the Dataset
   * @return the preview, also printed
   */
  public static String glimpse(Dataset<Row> df, int n, int width) {
    requireNonNull(df, "df is null");
    if (n < 0) {
      throw new IllegalArgumentException("n must be 0 or more, got " + n);
    }
    if (width < 20) {
      throw new IllegalArgumentException("width must be at least 20, got " + width);
    }
    long rows = df.count();
    List<Row> sample = n == 0 ? List.of() : df.limit(n).collectAsList();
    String text = Glimpse.render(df.schema(), rows, sample, width);
    System.out.println(text);
    return text;
  }

  /**
   * The number of rows (one Spark job) and columns.
   *
   * @param df the Dataset
   * @return the number of rows and columns
   */
  public static FrameShape frameShape(Dataset<Row> df) {
    requireNonNull(df, "df is null");
    return new FrameShape(df.count(), df.columns().length);
  }

  // ---------------------------------------------------------------------------------------------
  // duplicates and uniqueness

  /**
   * Every row whose key occurs more than once, all copies kept. Null keys compare equal to each
   * other. With no columns the key is the whole row. Computed with a window over the key (a
   * shuffle), never by broadcasting the set of duplicate keys, so it scales with the data.
   *
   * @param df the Dataset
   * @param columns the key columns; none means every column
   * @return the rows whose key occurs more than once
   * @throws ColumnNotFoundException if a column does not exist
   * @throws IllegalArgumentException if a key column is a map, which Spark cannot group by
   */
  public static Dataset<Row> keepDuplicates(Dataset<Row> df, String... columns) {
    requireNonNull(df, "df is null");
    Column[] keys = keyColumns(df, columns, "keepDuplicates");
    String n = Names.fresh(df, "__spill_key_count");
    return df.withColumn(n, count(lit(1)).over(Window.partitionBy(keys)))
        .where(col(n).gt(1))
        .drop(n);
  }

  /**
   * Whether no key occurs twice; a null is a value like any other (two nulls are a duplicate). With
   * no columns the key is the whole row. Stops at the first duplicate group found.
   *
   * @param df the Dataset
   * @param columns the key columns; none means every column
   * @return whether no key occurs twice
   * @throws ColumnNotFoundException if a column does not exist
   */
  public static boolean isUnique(Dataset<Row> df, String... columns) {
    requireNonNull(df, "df is null");
    Column[] keys = keyColumns(df, columns, "isUnique");
    String n = Names.fresh(df, "__spill_key_count");
    return df.groupBy(keys).agg(count(lit(1)).as(n)).where(col(n).gt(1)).isEmpty();
  }

  /**
   * How often each value (or combination of values) occurs, most frequent first, ties in key order;
   * nulls are counted as values. The count column is named {@code count}, or {@code count_2}, ...
   * if a key column is already called that. With no columns the key is the whole row.
   *
   * @param df the Dataset
   * @param columns the columns whose values are counted
   * @return each combination of values with its count
   */
  public static Dataset<Row> valueCounts(Dataset<Row> df, String... columns) {
    requireNonNull(df, "df is null");
    Column[] keys = keyColumns(df, columns, "valueCounts");
    Dataset<Row> keyed = df.select(keys);
    String n = Names.free(Arrays.asList(keyed.columns()), "count");
    List<Column> order = new ArrayList<>();
    order.add(col(Names.quote(n)).desc());
    for (String k : keyed.columns()) {
      order.add(col(Names.quote(k)).asc_nulls_first());
    }
    return keyed
        .groupBy(
            Arrays.stream(keyed.columns()).map(c -> col(Names.quote(c))).toArray(Column[]::new))
        .agg(count(lit(1)).as(n))
        .orderBy(order.toArray(Column[]::new));
  }

  private static Column[] keyColumns(Dataset<Row> df, String[] columns, String method) {
    requireNonNull(columns, "columns is null");
    List<StructField> fields =
        columns.length == 0
            ? Arrays.asList(df.schema().fields())
            : Arrays.stream(columns).map(c -> Names.field(df, c)).toList();
    for (StructField f : fields) {
      if (containsMap(f.dataType())) {
        throw new IllegalArgumentException(
            method
                + ": column '"
                + f.name()
                + "' is of type "
                + f.dataType().simpleString()
                + "; Spark cannot group rows by a map. Pass the key"
                + " columns explicitly and leave it out, or turn it into a sorted array first"
                + " (map_entries + array_sort)");
      }
    }
    return fields.stream().map(f -> df.col(Names.quote(f.name()))).toArray(Column[]::new);
  }

  private static boolean containsMap(DataType t) {
    if (t instanceof MapType) {
      return true;
    }
    if (t instanceof ArrayType a) {
      return containsMap(a.elementType());
    }
    if (t instanceof StructType s) {
      return Arrays.stream(s.fields()).anyMatch(f -> containsMap(f.dataType()));
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // column names, nesting, selection

  /**
   * {@link #cleanColumnNames(Dataset, boolean)} for the top-level columns only.
   *
   * @param df the Dataset
   * @return the Dataset with clean names
   */
  public static Dataset<Row> cleanColumnNames(Dataset<Row> df) {
    return cleanColumnNames(df, false);
  }

  /**
   * Renames columns to clean snake_case: camelCase split, accents folded to ASCII ({@code Größe} to
   * {@code grosse}), any other character to {@code _}, runs of {@code _} collapsed and trimmed, a
   * leading digit prefixed with {@code col_}, an empty result named {@code column}. Names that
   * would clash, compared without regard to case as Spark does, get {@code _2}, {@code _3}, ... The
   * results are valid Parquet and Delta column names. Column comments and other metadata are kept.
   *
   * @param nested also rename the fields of structs, at any depth (inside arrays and maps too)
   * @param df the Dataset
   * @return the Dataset with clean names
   */
  public static Dataset<Row> cleanColumnNames(Dataset<Row> df, boolean nested) {
    requireNonNull(df, "df is null");
    StructField[] fields = df.schema().fields();
    List<String> names = Names.cleanAll(Arrays.stream(fields).map(StructField::name).toList());
    Column[] select = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      Column c = df.col(Names.quote(f.name()));
      if (nested) {
        DataType cleaned = Names.cleanNested(f.dataType());
        if (!cleaned.equals(f.dataType())) {
          c = c.cast(cleaned);
        }
      }
      select[i] = c.as(names.get(i), f.metadata());
    }
    return df.select(select);
  }

  /**
   * Replaces struct columns by their fields, in place (Polars' {@code unnest}): a struct {@code s}
   * with fields {@code a, b} becomes columns {@code a, b} where {@code s} stood.
   *
   * @param df the Dataset
   * @param structColumns the struct columns to spread
   * @return the Dataset with those structs spread into columns
   * @throws IllegalArgumentException if a column is not a struct, or a field name would clash with
   *     another column (rename one first)
   */
  public static Dataset<Row> unnest(Dataset<Row> df, String... structColumns) {
    requireNonNull(df, "df is null");
    requireNonNull(structColumns, "structColumns is null");
    if (structColumns.length == 0) {
      throw new IllegalArgumentException("unnest needs at least one struct column");
    }
    Set<String> targets = new LinkedHashSet<>();
    for (String c : structColumns) {
      StructField f = Names.field(df, c);
      if (!(f.dataType() instanceof StructType)) {
        throw new IllegalArgumentException(
            "unnest: column '"
                + f.name()
                + "' is "
                + f.dataType().simpleString()
                + ", not a struct");
      }
      targets.add(f.name());
    }
    List<Column> select = new ArrayList<>();
    Map<String, String> taken = new HashMap<>();
    for (StructField f : df.schema().fields()) {
      Column parent = df.col(Names.quote(f.name()));
      if (targets.contains(f.name())) {
        for (StructField sub : ((StructType) f.dataType()).fields()) {
          claim(taken, sub.name(), "field '" + sub.name() + "' of '" + f.name() + "'");
          select.add(parent.getField(sub.name()).as(sub.name(), sub.metadata()));
        }
      } else {
        claim(taken, f.name(), "column '" + f.name() + "'");
        select.add(parent);
      }
    }
    return df.select(select.toArray(Column[]::new));
  }

  private static void claim(Map<String, String> taken, String name, String what) {
    String before = taken.putIfAbsent(name.toLowerCase(Locale.ROOT), what);
    if (before != null) {
      throw new IllegalArgumentException(
          "unnest: "
              + what
              + " would be named like "
              + before
              + " (names are compared without regard to case); rename one first, for example with"
              + " withColumnRenamed");
    }
  }

  /**
   * The columns whose type equals one of {@code types} ({@code DecimalType(10,2)} exactly).
   *
   * @param df the Dataset
   * @param types the types, compared exactly
   * @return the Dataset of those columns
   */
  public static Dataset<Row> selectByType(Dataset<Row> df, DataType... types) {
    requireNonNull(df, "df is null");
    List<DataType> wanted = Arrays.asList(requireNonNull(types, "types is null"));
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("selectByType needs at least one type");
    }
    return selectWhere(df, t -> wanted.contains(t));
  }

  /**
   * The columns whose type is of one of {@code kinds}, for example {@code DecimalType.class} for
   * every decimal, or {@code StructType.class}.
   *
   * @param df the Dataset
   * @param kinds the kinds of type
   * @return the Dataset of those columns
   */
  @SafeVarargs
  public static Dataset<Row> selectByType(Dataset<Row> df, Class<? extends DataType>... kinds) {
    requireNonNull(df, "df is null");
    List<Class<? extends DataType>> wanted = new ArrayList<>();
    for (Class<? extends DataType> kind : requireNonNull(kinds, "kinds is null")) {
      wanted.add(kind);
    }
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("selectByType needs at least one kind of type");
    }
    return selectWhere(df, t -> wanted.stream().anyMatch(k -> k.isInstance(t)));
  }

  private static Dataset<Row> selectWhere(
      Dataset<Row> df, java.util.function.Predicate<DataType> test) {
    return df.select(
        Arrays.stream(df.schema().fields())
            .filter(f -> test.test(f.dataType()))
            .map(f -> df.col(Names.quote(f.name())))
            .toArray(Column[]::new));
  }

  // ---------------------------------------------------------------------------------------------
  // counts and profile

  /**
   * One row with, for every column, how many of its values are null (a {@code long} under the
   * column's own name). One Spark job.
   *
   * @param df the Dataset
   * @return one row with each column's count of nulls
   */
  public static Dataset<Row> nullCounts(Dataset<Row> df) {
    requireNonNull(df, "df is null");
    StructField[] fields = df.schema().fields();
    if (fields.length == 0) {
      return df.sparkSession().emptyDataFrame();
    }
    Column[] counts =
        Arrays.stream(fields)
            .map(f -> count(when(df.col(Names.quote(f.name())).isNull(), 1)).as(f.name()))
            .toArray(Column[]::new);
    return df.agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length));
  }

  /** The columns of {@link #profile(Dataset, int)}'s result. */
  public static final StructType PROFILE_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("type", DataTypes.StringType, false)
          .add("rows", DataTypes.LongType, false)
          .add("null_count", DataTypes.LongType, false)
          .add("null_share", DataTypes.DoubleType, true)
          .add("distinct_count", DataTypes.LongType, false)
          .add("distinct_exact", DataTypes.BooleanType, false)
          .add("min", DataTypes.StringType, true)
          .add("max", DataTypes.StringType, true)
          .add(
              "top_values",
              DataTypes.createArrayType(
                  new StructType()
                      .add("value", DataTypes.StringType, true)
                      .add("count", DataTypes.LongType, false)),
              false);

  /**
   * A profile of every column, one row per column in column order ({@link #PROFILE_SCHEMA}): type,
   * rows, null count and share (null for an empty frame), the exact number of distinct non-null
   * values ({@code distinct_exact} says so), min and max as text for ordered types (numbers,
   * strings, dates, timestamps, booleans, binary as hex), and the {@code topN} most frequent values
   * with their counts (a null value included, nested values as JSON).
   *
   * <p>Two aggregations, each one Spark job plus its shuffle, whatever the number of columns. The
   * value counts look at every cell, so on very large and wide data select the columns first.
   *
   * @param topN how many frequent values to list per column (0 or more)
   * @param df the Dataset
   * @return one row per column with its statistics
   */
  public static Dataset<Row> profile(Dataset<Row> df, int topN) {
    requireNonNull(df, "df is null");
    if (topN < 0) {
      throw new IllegalArgumentException("topN must be 0 or more, got " + topN);
    }
    SparkSession spark = df.sparkSession();
    StructField[] fields = df.schema().fields();
    if (fields.length == 0) {
      return spark.createDataFrame(List.of(), PROFILE_SCHEMA);
    }
    // Job 1: rows, null counts, min and max of every column in one aggregation.
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)));
    for (StructField f : fields) {
      Column c = df.col(Names.quote(f.name()));
      aggs.add(count(when(c.isNull(), 1)));
      boolean ordered = isOrdered(f.dataType());
      aggs.add(ordered ? asText(min(c), f.dataType()) : lit(null).cast("string"));
      aggs.add(ordered ? asText(max(c), f.dataType()) : lit(null).cast("string"));
    }
    // Each result named by its position: a Spark Connect client looks fields up by name, and
    // the unnamed ones would collide (two "CAST(NULL AS STRING)").
    for (int i = 0; i < aggs.size(); i++) {
      aggs.set(i, aggs.get(i).as("a" + i));
    }
    Row totals = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long rows = totals.getLong(0);

    // Job 2: value counts of every cell as (column index, value as text), ranked per column.
    Column[] cells = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Column c = df.col(Names.quote(fields[i].name()));
      cells[i] = struct(lit(i).as("i"), valueText(c, fields[i].dataType()).as("v"));
    }
    var byColumn = Window.partitionBy(col("i"));
    List<Row> ranked =
        df.select(explode(array(cells)).as("cell"))
            .select(col("cell.i").as("i"), col("cell.v").as("v"))
            .groupBy("i", "v")
            .agg(count(lit(1)).as("n"))
            .withColumn(
                "rank",
                row_number().over(byColumn.orderBy(col("n").desc(), col("v").asc_nulls_first())))
            .withColumn("distinct", count(col("v")).over(byColumn))
            .where(col("rank").leq(Math.max(topN, 1)))
            .collectAsList();
    Map<Integer, Long> distinct = new HashMap<>();
    Map<Integer, TreeMap<Integer, Row>> top = new HashMap<>();
    for (Row r : ranked) {
      int i = r.getInt(0);
      distinct.put(i, r.getLong(4));
      if (topN > 0) {
        top.computeIfAbsent(i, k -> new TreeMap<>())
            .put(r.getInt(3), RowFactory.create(r.getString(1), r.getLong(2)));
      }
    }
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      long nulls = totals.getLong(1 + 3 * i);
      out.add(
          RowFactory.create(
              fields[i].name(),
              fields[i].dataType().simpleString(),
              rows,
              nulls,
              rows == 0 ? null : (double) nulls / rows,
              distinct.getOrDefault(i, 0L),
              true,
              totals.getString(2 + 3 * i),
              totals.getString(3 + 3 * i),
              // A Java list: Spark takes one for an array column, on Scala 2.12 and 2.13 alike.
              new ArrayList<>(top.getOrDefault(i, new TreeMap<>()).values())));
    }
    return spark.createDataFrame(out, PROFILE_SCHEMA);
  }

  private static boolean isOrdered(DataType t) {
    return DataTypes.BooleanType.equals(t)
        || t instanceof org.apache.spark.sql.types.NumericType
        || t instanceof StringType
        || t instanceof BinaryType
        || DataTypes.DateType.equals(t)
        || DataTypes.TimestampType.equals(t)
        || DataTypes.TimestampNTZType.equals(t);
  }

  private static Column asText(Column value, DataType t) {
    return t instanceof BinaryType ? hex(value) : value.cast("string");
  }

  private static Column valueText(Column value, DataType t) {
    if (t instanceof StructType || t instanceof ArrayType || t instanceof MapType) {
      return to_json(value);
    }
    return asText(value, t);
  }

  // ---------------------------------------------------------------------------------------------
  // comments

  /**
   * Sets column comments on a catalog table with {@code ALTER TABLE ... ALTER COLUMN ... COMMENT},
   * quoting the table and column names and escaping the text. Columns whose comment already matches
   * are left alone; columns the table does not have are reported, not applied.
   *
   * @param table a table name, optionally qualified ({@code catalog.schema.table}); parts may be
   * @param comments column name to comment text
   * @param spark the session that runs the statements
   * @return what changed, what already matched, and the unknown columns backtick-quoted
   */
  public static CommentReport applyColumnComments(
      SparkSession spark, String table, Map<String, String> comments) {
    requireNonNull(spark, "spark is null");
    requireNonNull(comments, "comments is null");
    String quotedTable = Names.quoteQualified(requireNonNull(table, "table is null"));
    StructType schema = catalogColumns(spark, quotedTable);
    boolean caseSensitive = Names.caseSensitive(spark);
    List<String> changed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(comments).entrySet()) {
      String text = requireNonNull(e.getValue(), "comment for column " + e.getKey() + " is null");
      StructField f = Names.find(schema, e.getKey(), caseSensitive);
      if (f == null) {
        unknown.add(e.getKey());
        continue;
      }
      if (text.equals(f.getComment().getOrElse(() -> null))) {
        unchanged.add(f.name());
        continue;
      }
      spark.sql(
          "ALTER TABLE "
              + quotedTable
              + " ALTER COLUMN "
              + Names.quote(f.name())
              + " COMMENT "
              + Names.sqlString(text));
      changed.add(f.name());
    }
    return new CommentReport(table, changed, unchanged, unknown);
  }

  /**
   * The table's top-level columns with their comments as the catalog holds them now. Not {@code
   * spark.table(t).schema()}: Spark 3.5 caches a table's relation, so after an {@code ALTER COLUMN
   * ... COMMENT} in the same session that schema still shows the old comment.
   */
  private static StructType catalogColumns(SparkSession spark, String quotedTable) {
    List<org.apache.spark.sql.catalog.Column> listed;
    try {
      listed = spark.catalog().listColumns(quotedTable).collectAsList();
    } catch (Exception e) { // AnalysisException, checked in Java's eyes
      throw new IllegalArgumentException(
          "cannot read the columns of table " + quotedTable + ": " + e.getMessage(), e);
    }
    StructType columns = new StructType();
    for (org.apache.spark.sql.catalog.Column c : listed) {
      StructField f =
          new StructField(
              c.name(), DataTypes.StringType, true, org.apache.spark.sql.types.Metadata.empty());
      columns = columns.add(c.description() == null ? f : f.withComment(c.description()));
    }
    return columns;
  }
}
