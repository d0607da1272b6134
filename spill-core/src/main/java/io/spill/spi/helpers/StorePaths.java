package io.spill.spi.helpers;

import static java.util.Objects.requireNonNull;

/**
 * Paths inside a store, as {@link io.spill.spi.SpillStore}'s methods take them: relative to the
 * store's root, '/' between segments, no leading '/', no empty, {@code .} or {@code ..} segment, no
 * backslash and no NUL. spill builds such paths itself; a store checks each one it gets, so that no
 * path reaches outside its root whatever a caller passes.
 */
public final class StorePaths {
  private StorePaths() {}

  /**
   * Checks a path relative to a store's root.
   *
   * @param path the path
   * @param rootAllowed whether {@code ""}, the root itself, is allowed
   * @return {@code path}
   * @throws IllegalArgumentException naming the path, if it is not such a path
   */
  public static String requireRelative(String path, boolean rootAllowed) {
    requireNonNull(path, "path is null");
    if (path.isEmpty()) {
      if (!rootAllowed) {
        throw new IllegalArgumentException(
            "a path inside the store is needed here, not its" + " root");
      }
      return path;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "not a relative store path: '"
                + path
                + "' (each"
                + " segment must be non-empty, not '.' or '..', without '\\' or NUL)");
      }
    }
    return path;
  }

  /**
   * {@code dir} and {@code child} joined with '/'; {@code child} alone if {@code dir} is "".
   *
   * @param dir a directory, or "" for the root
   * @param child a path relative to it
   * @return the joined path
   */
  public static String join(String dir, String child) {
    requireNonNull(dir, "dir is null");
    requireNonNull(child, "child is null");
    return dir.isEmpty() ? child : dir + "/" + child;
  }
}
