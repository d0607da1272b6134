package io.spill.spi.helpers;

import static java.util.Objects.requireNonNull;

import io.spill.spi.InvalidIdentifierException;
import java.util.regex.Pattern;

/**
 * Validation and quoting of the names spill puts into paths and SQL. Everything a user names goes
 * through here before it reaches a store or a statement.
 */
public final class Identifiers {
  private static final Pattern CHECKPOINT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

  private Identifiers() {}

  /**
   * Checks a checkpoint name: 1 to 128 characters, letters, digits, '_', '-' and '.', starting with
   * a letter or digit, never {@code ..}.
   *
   * @param name the name
   * @return the name
   * @throws InvalidIdentifierException naming the rule broken
   */
  public static String checkpointName(String name) {
    requireNonNull(name, "checkpoint name is null");
    if (!isCheckpointName(name)) {
      throw new InvalidIdentifierException(
          "invalid checkpoint name '"
              + printable(name)
              + "': use 1 to 128 characters from"
              + " A-Z a-z 0-9 _ - . starting with a letter or digit, without '..' or '/'"
              + " (for example 'step_1_cleaned')");
    }
    return name;
  }

  /**
   * Whether {@code name} is a valid checkpoint name (see {@link #checkpointName}).
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isCheckpointName(String name) {
    return CHECKPOINT.matcher(name).matches() && !name.contains("..");
  }

  /**
   * Checks a Unity Catalog catalog, schema or volume name: 1 to 255 characters, letters, digits,
   * '_' and '-'.
   *
   * @param kind what the name is, for the message ("catalog", "schema", "volume")
   * @param name the name
   * @return the name
   * @throws InvalidIdentifierException naming the rule broken
   */
  public static String sqlName(String kind, String name) {
    requireNonNull(name, kind + " name is null");
    if (!SQL_NAME.matcher(name).matches()) {
      throw new InvalidIdentifierException(
          "invalid "
              + kind
              + " name '"
              + printable(name)
              + "': use 1 to 255 characters from"
              + " A-Z a-z 0-9 _ - (no spaces, dots, slashes or quotes)");
    }
    return name;
  }

  /**
   * Quotes an identifier for Spark SQL / Databricks SQL with backticks, doubling any backtick.
   *
   * @param identifier the identifier
   * @return it quoted
   */
  public static String quoteBackticks(String identifier) {
    requireNonNull(identifier, "identifier is null");
    return '`' + identifier.replace("`", "``") + '`';
  }

  /**
   * Quotes an identifier for ANSI SQL (DuckDB) with double quotes, doubling any double quote.
   *
   * @param identifier the identifier
   * @return it quoted
   */
  public static String quoteDouble(String identifier) {
    requireNonNull(identifier, "identifier is null");
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * Quotes a string literal with single quotes, doubling any single quote.
   *
   * @param value the string
   * @return it quoted
   */
  public static String quoteLiteral(String value) {
    requireNonNull(value, "value is null");
    return '\'' + value.replace("'", "''") + '\'';
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
