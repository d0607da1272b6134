package io.spill.spark;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Column-name handling shared by {@link SparkFrames}: lookup, quoting, cleaning. */
final class Names {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern CAMEL = Pattern.compile("([\\p{Ll}\\d])(\\p{Lu})");
  private static final Pattern ACRONYM = Pattern.compile("(\\p{Lu}+)(\\p{Lu}\\p{Ll})");
  private static final Pattern OTHER = Pattern.compile("[^a-z0-9]+");

  /**
   * Letters NFD does not decompose, folded as German, Danish, Polish, Icelandic... write them;
   * capitals fold to a capitalized pair so that "Œuvre" stays one word for the camelCase split.
   */
  private static final Map<String, String> FOLD =
      Map.ofEntries(
          Map.entry("ß", "ss"),
          Map.entry("ẞ", "Ss"),
          Map.entry("Æ", "Ae"),
          Map.entry("æ", "ae"),
          Map.entry("Œ", "Oe"),
          Map.entry("œ", "oe"),
          Map.entry("Ø", "O"),
          Map.entry("ø", "o"),
          Map.entry("Ł", "L"),
          Map.entry("ł", "l"),
          Map.entry("Đ", "D"),
          Map.entry("đ", "d"),
          Map.entry("Þ", "Th"),
          Map.entry("þ", "th"),
          Map.entry("Ð", "D"),
          Map.entry("ð", "d"),
          Map.entry("ı", "i"));

  private Names() {}

  /** A backtick-quoted name for {@code Dataset.col} and SQL, doubling any backtick. */
  static String quote(String name) {
    return '`' + name.replace("`", "``") + '`';
  }

  /** A Spark SQL string literal: backslashes and single quotes escaped. */
  static String sqlString(String text) {
    return '\'' + text.replace("\\", "\\\\").replace("'", "\\'") + '\'';
  }

  /**
   * Quotes each part of {@code a.b.c}; parts already in backticks are kept as written.
   *
   * @throws IllegalArgumentException for an empty part or an unclosed backtick
   */
  static String quoteQualified(String qualified) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < qualified.length(); i++) {
      char c = qualified.charAt(i);
      if (c == '`') {
        if (quoted && i + 1 < qualified.length() && qualified.charAt(i + 1) == '`') {
          part.append('`');
          i++;
        } else {
          quoted = !quoted;
          wasQuoted = true;
        }
      } else if (c == '.' && !quoted) {
        parts.add(checkPart(qualified, part.toString(), wasQuoted));
        part.setLength(0);
        wasQuoted = false;
      } else {
        part.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("table name " + qualified + " has an unclosed backtick");
    }
    parts.add(checkPart(qualified, part.toString(), wasQuoted));
    return String.join(".", parts.stream().map(Names::quote).toList());
  }

  private static String checkPart(String qualified, String part, boolean quoted) {
    String p = quoted ? part : part.trim();
    if (p.isEmpty()) {
      throw new IllegalArgumentException(
          "table name '"
              + qualified
              + "' has an empty part;"
              + " write it as table, schema.table or catalog.schema.table");
    }
    return p;
  }

  static boolean caseSensitive(SparkSession spark) {
    return Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
  }

  /** The field named {@code name}, as Spark resolves names, or null. */
  static StructField find(StructType schema, String name, boolean caseSensitive) {
    StructField found = null;
    for (StructField f : schema.fields()) {
      if (caseSensitive ? f.name().equals(name) : f.name().equalsIgnoreCase(name)) {
        if (f.name().equals(name)) {
          return f;
        }
        found = found == null ? f : found;
      }
    }
    return found;
  }

  /** The top-level field named {@code name}, or an error listing the columns there are. */
  static StructField field(Dataset<Row> df, String name) {
    if (name == null) {
      throw new IllegalArgumentException("a column name is null");
    }
    boolean caseSensitive = caseSensitive(df.sparkSession());
    StructField f = find(df.schema(), name, caseSensitive);
    if (f == null) {
      throw new ColumnNotFoundException(
          "column '"
              + name
              + "' not found; the columns are "
              + Arrays.toString(df.columns())
              + (caseSensitive ? " (compared with case)" : " (compared without regard to case)"));
    }
    return f;
  }

  /**
   * {@code base}, or {@code base_2}, {@code base_3}... whichever {@code taken} lacks (any case).
   */
  static String free(Collection<String> taken, String base) {
    Set<String> lower = new HashSet<>();
    taken.forEach(t -> lower.add(t.toLowerCase(Locale.ROOT)));
    if (!lower.contains(base.toLowerCase(Locale.ROOT))) {
      return base;
    }
    for (int k = 2; ; k++) {
      String candidate = base + "_" + k;
      if (!lower.contains(candidate.toLowerCase(Locale.ROOT))) {
        return candidate;
      }
    }
  }

  /** A helper column name the Dataset does not use. */
  static String fresh(Dataset<Row> df, String base) {
    return free(Arrays.asList(df.columns()), base);
  }

  /** One name cleaned as {@link SparkFrames#cleanColumnNames} describes, before deduplication. */
  static String clean(String raw) {
    StringBuilder folded = new StringBuilder();
    raw.codePoints()
        .forEach(
            cp -> {
              String s = new String(Character.toChars(cp));
              folded.append(FOLD.getOrDefault(s, s));
            });
    String s = MARKS.matcher(Normalizer.normalize(folded, Normalizer.Form.NFD)).replaceAll("");
    s = CAMEL.matcher(s).replaceAll("$1_$2");
    s = ACRONYM.matcher(s).replaceAll("$1_$2");
    s = OTHER.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("_");
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '_') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '_') {
      end--;
    }
    s = s.substring(start, end);
    if (s.isEmpty()) {
      return "column";
    }
    return Character.isDigit(s.charAt(0)) ? "col_" + s : s;
  }

  /**
   * Cleans every name, then makes them unique without regard to case: the first keeps its clean
   * name, later ones get the first free {@code _2}, {@code _3}... that no other column's clean name
   * uses either.
   */
  static List<String> cleanAll(List<String> raw) {
    List<String> cleaned = raw.stream().map(Names::clean).toList();
    Set<String> reserved = new HashSet<>(cleaned);
    Set<String> used = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String name : cleaned) {
      String chosen = name;
      if (used.contains(name)) {
        for (int k = 2; ; k++) {
          chosen = name + "_" + k;
          if (!used.contains(chosen) && !reserved.contains(chosen)) {
            break;
          }
        }
      }
      used.add(chosen);
      out.add(chosen);
    }
    return out;
  }

  /** {@code type} with the fields of every struct inside it cleaned. */
  static DataType cleanNested(DataType type) {
    if (type instanceof StructType s) {
      StructField[] fields = s.fields();
      List<String> names = cleanAll(Arrays.stream(fields).map(StructField::name).toList());
      StructField[] out = new StructField[fields.length];
      for (int i = 0; i < fields.length; i++) {
        out[i] =
            new StructField(
                names.get(i),
                cleanNested(fields[i].dataType()),
                fields[i].nullable(),
                fields[i].metadata());
      }
      return new StructType(out);
    }
    if (type instanceof ArrayType a) {
      return new ArrayType(cleanNested(a.elementType()), a.containsNull());
    }
    if (type instanceof MapType m) {
      return new MapType(
          cleanNested(m.keyType()), cleanNested(m.valueType()), m.valueContainsNull());
    }
    return type;
  }
}
