package io.spill.storage.local;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import io.spill.spi.helpers.LocalPaths;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * What a user may name as a local store root. A plain path is taken literally (a space, {@code %},
 * quote or {@code [} is part of a folder name); a {@code file:} URI is percent-decoded, so a {@code
 * %} in a folder name is written {@code %25} there. The folder itself is checked as {@link
 * LocalPaths#check} says ({@code ~}, {@code .}/{@code ..} segments and backslashes are refused); a
 * relative path is resolved against the working directory.
 */
public final class LocalRoots {
  private static final String WHAT = "store location";

  private LocalRoots() {}

  /**
   * The root folder named by {@code location}.
   *
   * @param location a {@code file:} URI or a plain path
   * @return the folder, absolute
   * @throws SpillConfigurationException naming what is wrong and the fix
   */
  public static Path parse(String location) {
    requireNonNull(location, "location is null");
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        return LocalPaths.check(WHAT, location, Path.of(URI.create(location)));
      } catch (IllegalArgumentException e) {
        throw new SpillConfigurationException(
            "'"
                + location
                + "' is not a usable file: URI ("
                + e.getMessage()
                + "); write it as file:///absolute/path, with special characters"
                + " percent-encoded (a space as %20, % as %25), or pass a plain path",
            e);
      }
    }
    try {
      return LocalPaths.check(WHAT, location, Path.of(location));
    } catch (InvalidPathException e) {
      throw new SpillConfigurationException(
          "'" + location + "' is not a usable path: " + e.getMessage(), e);
    }
  }
}
