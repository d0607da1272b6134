package io.spill.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schema of a Dataset Spark wrote, as engines need it to read Spark's files: Parquet alone does
 * not say whether an INT96 or a local timestamp is an instant, or that a plain integer is an ANSI
 * interval. A small typed model with no Spark class in it, so that an engine needs neither Spark
 * nor a JSON parser.
 *
 * <p>A leaf is anything that is not a struct, an array or a map; its type is Spark's SQL name in
 * lower case ({@code timestamp}, {@code timestamp_ntz}, {@code decimal(10,2)}, {@code interval day
 * to second}, {@code char(3)}).
 *
 * @param fields the top-level columns, in order
 */
public record SparkSchema(List<Field> fields) {
  /**
   * Checks the components.
   *
   * @param fields the top-level columns, in order
   */
  public SparkSchema {
    fields = List.copyOf(requireNonNull(fields, "fields is null"));
  }

  /**
   * A column or a struct's field.
   *
   * @param name its name
   * @param type its type
   * @param nullable whether it may hold null
   */
  public record Field(String name, Type type, boolean nullable) {
    /**
     * Checks the components.
     *
     * @param name its name
     * @param type its type
     * @param nullable whether it may hold null
     */
    public Field {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }

  /** A Spark type: a leaf, a struct, an array or a map. */
  public sealed interface Type permits Leaf, Struct, ArrayOf, MapOf {}

  /**
   * A type that holds no other type.
   *
   * @param sql Spark's SQL name of the type, in lower case
   */
  public record Leaf(String sql) implements Type {
    /**
     * Checks the components.
     *
     * @param sql Spark's SQL name of the type, in lower case
     */
    public Leaf {
      sql = requireNonNull(sql, "sql is null").toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A struct.
   *
   * @param fields its fields, in order
   */
  public record Struct(List<Field> fields) implements Type {
    /**
     * Checks the components.
     *
     * @param fields its fields, in order
     */
    public Struct {
      fields = List.copyOf(requireNonNull(fields, "fields is null"));
    }
  }

  /**
   * An array.
   *
   * @param element the elements' type
   * @param containsNull whether an element may be null
   */
  public record ArrayOf(Type element, boolean containsNull) implements Type {
    /**
     * Checks the components.
     *
     * @param element the elements' type
     * @param containsNull whether an element may be null
     */
    public ArrayOf {
      requireNonNull(element, "element is null");
    }
  }

  /**
   * A map.
   *
   * @param key the keys' type
   * @param value the values' type
   * @param valueContainsNull whether a value may be null
   */
  public record MapOf(Type key, Type value, boolean valueContainsNull) implements Type {
    /**
     * Checks the components.
     *
     * @param key the keys' type
     * @param value the values' type
     * @param valueContainsNull whether a value may be null
     */
    public MapOf {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value is null");
    }
  }

  /**
   * Every leaf with its type, by path: a top-level column's name, then {@code .field} into a
   * struct, {@code []} into an array's element, {@code .key} and {@code .value} into a map, as in
   * {@code orders.items[].placed_at}.
   *
   * @return path to type, sorted by path
   */
  public Map<String, String> leafTypes() {
    Map<String, String> leaves = new TreeMap<>();
    for (Field f : fields) {
      collect(f.type(), f.name(), leaves);
    }
    return Collections.unmodifiableMap(leaves);
  }

  private static void collect(Type type, String path, Map<String, String> leaves) {
    if (type instanceof Struct struct) {
      struct.fields().forEach(f -> collect(f.type(), path + "." + f.name(), leaves));
    } else if (type instanceof ArrayOf array) {
      collect(array.element(), path + "[]", leaves);
    } else if (type instanceof MapOf map) {
      collect(map.key(), path + ".key", leaves);
      collect(map.value(), path + ".value", leaves);
    } else {
      leaves.put(path, ((Leaf) type).sql());
    }
  }
}
