package io.spill.local;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * What a user may name as a local store root. A plain path is taken literally (a space, {@code %},
 * quote or {@code [} is part of a folder name); a {@code file:} URI is percent-decoded, so a
 * {@code %} in a folder name is written {@code %25} there. Refused, because a user would not get
 * what they meant: {@code ~} (Java does not expand it: the folder would be named "~"), and a
 * {@code .} or {@code ..} segment (". " is the working directory by accident more often than by
 * intent, and {@code a/../../x} leaves the folder the path seems to name), and a backslash
 * (DuckDB, among others, reads it as a separator on every system). A relative path is resolved
 * against the working directory.
 */
public final class LocalRoots {
  private LocalRoots() {}

  /**
   * The root folder named by {@code location}.
   *
   * @throws SpillConfigurationException naming what is wrong and the fix
   */
  public static Path parse(String location) {
    requireNonNull(location, "location is null");
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      URI uri;
      try {
        uri = URI.create(location);
        return check(location, Path.of(uri));
      } catch (IllegalArgumentException e) {
        throw new SpillConfigurationException("'" + location + "' is not a usable file: URI ("
            + e.getMessage() + "); write it as file:///absolute/path, with special characters"
            + " percent-encoded (a space as %20, % as %25), or pass a plain path", e);
      }
    }
    try {
      return check(location, Path.of(location));
    } catch (InvalidPathException e) {
      throw new SpillConfigurationException("'" + location + "' is not a usable path: "
          + e.getMessage(), e);
    }
  }

  /**
   * Checks a folder given as a {@link Path}, as {@link #parse} does.
   *
   * @throws SpillConfigurationException naming what is wrong and the fix
   */
  public static Path check(String asGiven, Path path) {
    requireNonNull(path, "path is null");
    String text = path.toString();
    if (text.isEmpty()) {
      throw new SpillConfigurationException("the store location is empty; name a folder such"
          + " as /local_disk0/spill");
    }
    if (text.startsWith("~")) {
      throw new SpillConfigurationException("store location '" + asGiven + "' starts with ~,"
          + " which Java does not expand (spill would make a folder named '~'); write the"
          + " absolute path, e.g. Path.of(System.getProperty(\"user.home\"), \"spill\")");
    }
    if (text.indexOf('\\') >= 0) {
      throw new SpillConfigurationException("store location '" + asGiven + "' has a backslash,"
          + " which DuckDB and other tools read as a path separator, so they could not find"
          + " spill's files; use a folder whose path has no backslash");
    }
    for (Path segment : path) {
      String s = segment.toString();
      if (s.equals(".") || s.equals("..")) {
        throw new SpillConfigurationException("store location '" + asGiven + "' has a '" + s
            + "' segment; name the folder without '.' or '..' (an absolute path is clearest),"
            + " so that spill writes where you mean it to");
      }
    }
    return path.toAbsolutePath();
  }
}
