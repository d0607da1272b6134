package io.spill.storage.uc;

import static java.util.Objects.requireNonNull;

import io.spill.spi.InvalidIdentifierException;
import io.spill.spi.SpillConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Unity Catalog volume and an optional folder in it: {@code /Volumes/catalog/schema/volume} or
 * {@code /Volumes/catalog/schema/volume/prefix}, also written {@code dbfs:/Volumes/...}.
 *
 * <p>spill accepts stricter names than Unity Catalog: catalog, schema and volume are 1 to 255
 * letters, digits, {@code _} and {@code -}; prefix folders are letters, digits, {@code _}, {@code
 * -} and {@code .} (never {@code .} or {@code ..} alone). So no path spill sends holds a space, a
 * quote or a character the Files API or the Databricks SDK would treat specially, and every name is
 * safe inside backticks.
 *
 * @param catalog the catalog
 * @param schema the schema
 * @param volume the volume
 * @param prefix the folder in the volume, segments joined by '/'; "" for the volume's root
 */
public record UcVolume(String catalog, String schema, String volume, String prefix) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

  /**
   * Checks the names.
   *
   * @param catalog the catalog
   * @param schema the schema
   * @param volume the volume
   * @param prefix the folder in the volume, segments joined by '/'; "" for the volume's root
   */
  public UcVolume {
    name("catalog", catalog);
    name("schema", schema);
    name("volume", volume);
    requireNonNull(prefix, "prefix is null");
    if (!prefix.isEmpty()) {
      for (String segment : prefix.split("/", -1)) {
        folder(prefix, segment);
      }
    }
  }

  /**
   * Parses {@code /Volumes/c/s/v[/prefix]} or {@code dbfs:/Volumes/c/s/v[/prefix]}; a trailing '/'
   * is allowed.
   *
   * @param location {@code /Volumes/c/s/v[/prefix]} or {@code dbfs:/Volumes/...}
   * @return the volume
   * @throws SpillConfigurationException if it is not such a location
   * @throws InvalidIdentifierException naming the part that breaks the naming rules
   */
  public static UcVolume parse(String location) {
    requireNonNull(location, "location is null");
    String path = location.startsWith("dbfs:") ? location.substring("dbfs:".length()) : location;
    if (!path.startsWith("/Volumes/")) {
      throw new SpillConfigurationException(
          "'"
              + location
              + "' is not a Unity Catalog volume:"
              + " use /Volumes/<catalog>/<schema>/<volume>[/<folder>] or dbfs:/Volumes/...");
    }
    String rest = path.substring("/Volumes/".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String[] parts = rest.split("/", -1);
    if (parts.length < 3) {
      throw new SpillConfigurationException(
          "'"
              + location
              + "' names no volume: use"
              + " /Volumes/<catalog>/<schema>/<volume>[/<folder>]");
    }
    List<String> prefix = new ArrayList<>(List.of(parts).subList(3, parts.length));
    return new UcVolume(parts[0], parts[1], parts[2], String.join("/", prefix));
  }

  /**
   * The three-part name, {@code catalog.schema.volume}, as the volumes API takes it.
   *
   * @return {@code catalog.schema.volume}
   */
  public String fullName() {
    return catalog + "." + schema + "." + volume;
  }

  /**
   * The three-part name with each part in backticks, for SQL.
   *
   * @return the name quoted for SQL
   */
  public String quotedName() {
    return quote(catalog) + "." + quote(schema) + "." + quote(volume);
  }

  /**
   * The statement that creates the volume (a managed volume); fails if it exists.
   *
   * @return the statement
   */
  public String createStatement() {
    return "CREATE VOLUME " + quotedName();
  }

  /**
   * The statement that drops the volume.
   *
   * @return the statement
   */
  public String dropStatement() {
    return "DROP VOLUME " + quotedName();
  }

  /** The volume's own folder below a root: {@code root/catalog/schema/volume}. */
  String volumePath(String root) {
    return root + "/" + catalog + "/" + schema + "/" + volume;
  }

  /**
   * A path below the store's root (the volume, or its prefix folder), under {@code root}.
   *
   * @param relative a store path; "" for the store's root
   */
  String path(String root, String relative) {
    String base = prefix.isEmpty() ? volumePath(root) : volumePath(root) + "/" + prefix;
    return relative.isEmpty() ? base : base + "/" + relative;
  }

  @Override
  public String toString() {
    return path("/Volumes", "");
  }

  private static String quote(String name) {
    return '`' + name.replace("`", "``") + '`';
  }

  private static void name(String kind, String name) {
    requireNonNull(name, kind + " name is null");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidIdentifierException(
          "invalid Unity Catalog "
              + kind
              + " name '"
              + printable(name)
              + "': spill accepts 1 to 255 characters from A-Z a-z 0-9 _ -"
              + " (no spaces, dots, slashes or quotes); rename it or use a volume whose name does");
    }
  }

  private static void folder(String prefix, String segment) {
    if (segment.contains(" ")) {
      throw new InvalidIdentifierException(
          "the folder '"
              + printable(prefix)
              + "' in the volume"
              + " has a space, which the Databricks SDK cannot send in Files API calls; use a folder"
              + " name without spaces");
    }
    if (!FOLDER.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
      throw new InvalidIdentifierException(
          "invalid folder '"
              + printable(prefix)
              + "' in the"
              + " volume: each part is 1 to 255 characters from A-Z a-z 0-9 _ - . and not '.' or"
              + " '..' (no empty part, no '//')");
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(80)
        .forEach(
            c ->
                b.append(
                    Character.isISOControl(c)
                        ? String.format("\\u%04x", c)
                        : new String(Character.toChars(c))));
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
