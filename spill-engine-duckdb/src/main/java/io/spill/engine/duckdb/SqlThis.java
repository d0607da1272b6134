package io.spill.engine.duckdb;

/**
 * Replaces the table name {@code this} in a query by a frame's table, outside string literals,
 * quoted identifiers and comments, and only where {@code this} is a whole word that is not a
 * qualified member ({@code t.this} stays).
 */
final class SqlThis {
  private SqlThis() {}

  static String bind(String sql, String table) {
    StringBuilder out = new StringBuilder(sql.length() + 32);
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = closing(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (isWordChar(c)) {
        int end = i;
        while (end < n && isWordChar(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        boolean qualified = previousNonSpace(out) == '.';
        out.append(word.equalsIgnoreCase("this") && !qualified ? table : word);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index after the quote that closes the one at {@code start}; doubled quotes escape. */
  private static int closing(String sql, int start, char quote) {
    int i = start + 1;
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
    return sql.length();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static char previousNonSpace(CharSequence s) {
    for (int i = s.length() - 1; i >= 0; i--) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return 0;
  }
}
