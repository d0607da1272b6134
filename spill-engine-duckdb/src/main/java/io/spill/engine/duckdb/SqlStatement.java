package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import io.spill.spi.helpers.Identifiers;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds frame names in a user's query without rewriting it: the query is run as {@code WITH "this"
 * AS (SELECT * FROM <frame>), "customers" AS (...) <query>}, so DuckDB itself decides where a name
 * is a table: {@code this} inside strings, comments, as a column, an alias or in {@code EXCLUDE
 * (this)} stays what it is, and a bound name shadows a table of the same name. A query that starts
 * with its own {@code WITH} gets the bindings added to its list.
 *
 * <p>A small lexer that knows DuckDB's lexical rules (single-quoted strings with doubled quotes,
 * {@code E'...'} strings with backslash escapes, dollar-quoted strings {@code $tag$...$tag$},
 * double-quoted identifiers, {@code --} and nested block comments) finds where the query starts and
 * refuses a second statement: {@code SELECT x FROM this; DROP TABLE this} is an error.
 */
final class SqlStatement {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SqlStatement() {}

  /**
   * The query with {@code frames} bound as CTEs (name to the quoted table behind it).
   *
   * @throws IllegalArgumentException if the query holds more than one statement or none, or a name
   *     is not a plain SQL identifier
   */
  static String bind(String query, Map<String, String> frames) {
    requireNonNull(query, "query is null");
    int start = firstToken(query);
    int end = endOfStatement(query, start);
    if (start >= query.length() || start == end) {
      throw new IllegalArgumentException("the query is empty");
    }
    String body = query.substring(start, end);
    StringBuilder ctes = new StringBuilder();
    for (Map.Entry<String, String> f : frames.entrySet()) {
      if (!NAME.matcher(f.getKey()).matches()) {
        throw new IllegalArgumentException(
            "frame name '"
                + f.getKey()
                + "' is not a plain SQL"
                + " identifier; use letters, digits and '_', starting with a letter or '_'");
      }
      ctes.append(ctes.length() == 0 ? "" : ", ")
          .append(Identifiers.quoteDouble(f.getKey().toLowerCase(Locale.ROOT)))
          .append(" AS (SELECT * FROM ")
          .append(f.getValue())
          .append(')');
    }
    if (ctes.length() == 0) {
      return body;
    }
    if (startsWithWord(body, "WITH")) {
      int afterWith = firstToken(body, 4);
      if (startsWithWord(body.substring(afterWith), "RECURSIVE")) {
        afterWith = firstToken(body, afterWith + "RECURSIVE".length());
        return "WITH RECURSIVE " + ctes + ", " + body.substring(afterWith);
      }
      return "WITH " + ctes + ", " + body.substring(afterWith);
    }
    return "WITH " + ctes + " " + body;
  }

  private static boolean startsWithWord(String s, String word) {
    return s.regionMatches(true, 0, word, 0, word.length())
        && (s.length() == word.length() || !isWordChar(s.charAt(word.length())));
  }

  private static int firstToken(String sql) {
    return firstToken(sql, 0);
  }

  /** The index of the first character at or after {@code i} that is no space or comment. */
  private static int firstToken(String sql, int i) {
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
        i = skip(sql, i);
      } else {
        return i;
      }
    }
    return i;
  }

  /**
   * The end of the one statement that starts at {@code start}: the end of the text, or a {@code ;}
   * followed by nothing but spaces and comments.
   */
  private static int endOfStatement(String sql, int start) {
    int i = start;
    while (i < sql.length()) {
      if (sql.charAt(i) == ';') {
        int next = firstToken(sql, i + 1);
        if (next < sql.length()) {
          throw new IllegalArgumentException(
              "the query holds more than one statement (a ';'"
                  + " at offset "
                  + i
                  + " is followed by more); frame queries run exactly one"
                  + " statement: use the JDBC connection() for anything else");
        }
        return i;
      }
      i = skip(sql, i);
    }
    return sql.length();
  }

  /** The index after the token at {@code i}: a string, quoted name, comment or one character. */
  private static int skip(String sql, int i) {
    char c = sql.charAt(i);
    if ((c == 'E' || c == 'e')
        && i + 1 < sql.length()
        && sql.charAt(i + 1) == '\''
        && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
      return closeEscaped(sql, i + 2);
    }
    if (c == '\'' || c == '"') {
      return closeDoubled(sql, i + 1, c);
    }
    if (c == '$') {
      int tagEnd = sql.indexOf('$', i + 1);
      if (tagEnd > 0
          && sql.substring(i + 1, tagEnd)
              .chars()
              .allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')
          && (tagEnd == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
        String tag = sql.substring(i, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        return close < 0 ? unterminated("dollar-quoted string " + tag) : close + tag.length();
      }
      return i + 1;
    }
    if (sql.startsWith("--", i)) {
      int eol = sql.indexOf('\n', i);
      return eol < 0 ? sql.length() : eol + 1;
    }
    if (sql.startsWith("/*", i)) {
      int depth = 0;
      int j = i;
      while (j < sql.length()) {
        if (sql.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith("*/", j)) {
          depth--;
          j += 2;
          if (depth == 0) {
            return j;
          }
        } else {
          j++;
        }
      }
      return unterminated("block comment");
    }
    if (isWordChar(c)) {
      int j = i;
      while (j < sql.length() && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '$')) {
        j++;
      }
      return j;
    }
    return i + 1;
  }

  private static int closeDoubled(String sql, int i, char quote) {
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return unterminated(quote == '\'' ? "string" : "quoted name");
  }

  private static int closeEscaped(String sql, int i) {
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      } else {
        i++;
      }
    }
    return unterminated("E'...' string");
  }

  private static int unterminated(String what) {
    throw new IllegalArgumentException("the query has an unterminated " + what);
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
