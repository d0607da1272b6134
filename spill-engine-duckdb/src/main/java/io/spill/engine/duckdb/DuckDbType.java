package io.spill.engine.duckdb;

import static java.util.Objects.requireNonNull;

import io.spill.spi.helpers.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A DuckDB type as {@code DESCRIBE} prints it, parsed into a tree so that nested types (STRUCT,
 * LIST, fixed-size ARRAY, MAP, UNION) can be inspected and rewritten leaf by leaf.
 */
sealed interface DuckDbType {

  /** The type as DuckDB SQL, with every struct field name quoted. */
  String sql();

  /** A leaf type such as {@code INTEGER}, {@code DECIMAL(38,18)} or {@code ENUM('a', 'b')}. */
  record Leaf(String name) implements DuckDbType {
    /**
     * The name up to any parenthesis, upper case, without the quotes DuckDB puts around some (it
     * describes an untyped NULL as {@code "NULL"}): {@code DECIMAL}, {@code ENUM}, {@code NULL}.
     */
    String base() {
      int p = name.indexOf('(');
      String base = (p < 0 ? name : name.substring(0, p)).trim().toUpperCase(Locale.ROOT);
      return base.length() > 1 && base.startsWith("\"") && base.endsWith("\"")
          ? base.substring(1, base.length() - 1)
          : base;
    }

    @Override
    public String sql() {
      return name;
    }
  }

  /** A variable-length LIST ({@code size == null}) or a fixed-size ARRAY. */
  record ListOf(DuckDbType element, Integer size) implements DuckDbType {
    @Override
    public String sql() {
      return element.sql() + (size == null ? "[]" : "[" + size + "]");
    }
  }

  /** A named member of a STRUCT or UNION. */
  record Field(String name, DuckDbType type) {}

  /** A STRUCT. */
  record StructOf(List<Field> fields) implements DuckDbType {
    @Override
    public String sql() {
      return DuckDbType.fieldsSql("STRUCT", fields);
    }
  }

  /** A MAP. */
  record MapOf(DuckDbType key, DuckDbType value) implements DuckDbType {
    @Override
    public String sql() {
      return "MAP(" + key.sql() + ", " + value.sql() + ")";
    }
  }

  /** A UNION. */
  record UnionOf(List<Field> members) implements DuckDbType {
    @Override
    public String sql() {
      return DuckDbType.fieldsSql("UNION", members);
    }
  }

  /** {@code KIND("name" type, ...)} with every name quoted. */
  private static String fieldsSql(String kind, List<Field> fields) {
    return fields.stream()
        .map(f -> Identifiers.quoteDouble(f.name()) + " " + f.type().sql())
        .collect(Collectors.joining(", ", kind + "(", ")"));
  }

  /** Parses a type as DuckDB's {@code DESCRIBE} prints it. */
  static DuckDbType parse(String text) {
    Parser p = new Parser(requireNonNull(text, "text is null"));
    DuckDbType t = p.type();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new IllegalArgumentException(
          "unexpected '" + text.substring(p.pos) + "' after a DuckDB type in '" + text + "'");
    }
    return t;
  }

  /** A small recursive-descent parser over the type text. */
  final class Parser {
    private final String s;
    private int pos;

    private Parser(String s) {
      this.s = s;
    }

    DuckDbType type() {
      skipSpace();
      DuckDbType t;
      if (keyword("STRUCT(")) {
        t = new StructOf(fields());
      } else if (keyword("UNION(")) {
        t = new UnionOf(fields());
      } else if (keyword("MAP(")) {
        DuckDbType k = type();
        expect(',');
        DuckDbType v = type();
        expect(')');
        t = new MapOf(k, v);
      } else {
        t = new Leaf(leaf());
      }
      while (true) {
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '[') {
          int close = s.indexOf(']', pos);
          if (close < 0) {
            throw new IllegalArgumentException("unclosed '[' in DuckDB type '" + s + "'");
          }
          String size = s.substring(pos + 1, close).trim();
          t = new ListOf(t, size.isEmpty() ? null : Integer.valueOf(size));
          pos = close + 1;
        } else {
          return t;
        }
      }
    }

    private List<Field> fields() {
      List<Field> fields = new ArrayList<>();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ')') {
        pos++;
        return fields;
      }
      while (true) {
        skipSpace();
        String name = name();
        fields.add(new Field(name, type()));
        skipSpace();
        char c = next();
        if (c == ')') {
          return fields;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or ')' in DuckDB type '" + s + "'");
        }
      }
    }

    private String name() {
      if (s.charAt(pos) == '"') {
        StringBuilder b = new StringBuilder();
        pos++;
        while (true) {
          char c = next();
          if (c == '"') {
            if (pos < s.length() && s.charAt(pos) == '"') {
              b.append('"');
              pos++;
            } else {
              return b.toString();
            }
          } else {
            b.append(c);
          }
        }
      }
      int start = pos;
      while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** A leaf type: words, then an optional balanced parenthesis group that may hold quotes. */
    private String leaf() {
      int start = pos;
      int depth = 0;
      boolean quoted = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (quoted) {
          if (c == '\'') {
            quoted = false;
          }
        } else if (c == '\'') {
          quoted = true;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (depth == 0 && (c == ',' || c == '[')) {
          break;
        }
        pos++;
      }
      String leaf = s.substring(start, pos).trim();
      if (leaf.isEmpty()) {
        throw new IllegalArgumentException("missing type at " + start + " in '" + s + "'");
      }
      return leaf;
    }

    private boolean keyword(String k) {
      if (s.regionMatches(true, pos, k, 0, k.length())) {
        pos += k.length();
        return true;
      }
      return false;
    }

    private void expect(char c) {
      skipSpace();
      if (next() != c) {
        throw new IllegalArgumentException("expected '" + c + "' in DuckDB type '" + s + "'");
      }
    }

    private char next() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("DuckDB type '" + s + "' ends too early");
      }
      return s.charAt(pos++);
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
