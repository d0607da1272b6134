package io.spill.spi.helpers;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import java.nio.file.Path;

/**
 * Checks of folders on the driver's disk that a user names (a store root, {@code localDir}, a mount
 * point). Refused, because the user would not get what they meant: {@code ~} (Java does not expand
 * it: the folder would be named "~"), a {@code .} or {@code ..} segment ({@code .} is the working
 * directory by accident more often than by intent, and {@code a/../../x} leaves the folder the path
 * seems to name), and a backslash (DuckDB, among others, reads it as a separator on every system).
 * A relative path is resolved against the working directory.
 */
public final class LocalPaths {
  private LocalPaths() {}

  /**
   * Checks a folder.
   *
   * @param what what the folder is, for the message, such as {@code "store location"} or {@code
   *     "uc.mount-root"}
   * @param asGiven the text the user gave, for the message
   * @param path the folder
   * @return the folder as an absolute path
   * @throws SpillConfigurationException naming what is wrong and the fix
   */
  public static Path check(String what, String asGiven, Path path) {
    requireNonNull(what, "what is null");
    requireNonNull(path, "path is null");
    String text = path.toString();
    if (text.isEmpty()) {
      throw new SpillConfigurationException(
          "the " + what + " is empty; name a folder such as" + " /local_disk0/spill");
    }
    if (text.startsWith("~")) {
      throw new SpillConfigurationException(
          what
              + " '"
              + asGiven
              + "' starts with ~, which"
              + " Java does not expand (spill would make a folder named '~'); write the absolute"
              + " path, e.g. Path.of(System.getProperty(\"user.home\"), \"spill\")");
    }
    if (text.indexOf('\\') >= 0) {
      throw new SpillConfigurationException(
          what
              + " '"
              + asGiven
              + "' has a backslash, which"
              + " DuckDB and other tools read as a path separator, so they could not find spill's"
              + " files; use a folder whose path has no backslash");
    }
    for (Path segment : path) {
      String s = segment.toString();
      if (s.equals(".") || s.equals("..")) {
        throw new SpillConfigurationException(
            what
                + " '"
                + asGiven
                + "' has a '"
                + s
                + "' segment; name the folder without '.' or '..' (an absolute path is clearest),"
                + " so that spill writes where you mean it to");
      }
    }
    return path.toAbsolutePath();
  }
}
