package io.spill.spi.helpers;

import static java.util.Objects.requireNonNull;

import io.spill.spi.SpillConfigurationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of option values ({@code VolumeSpiller.Builder.option(key, value)}), with errors that
 * name the key, the value given and a value that would do. For adapters, so that every module reads
 * sizes, durations and numbers the same way.
 */
public final class OptionValues {
  private static final Pattern BYTES =
      Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SECONDS =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)", Pattern.CASE_INSENSITIVE);

  private OptionValues() {}

  /**
   * A size in bytes: a whole number, optionally followed by {@code B}, {@code KiB}, {@code MiB},
   * {@code GiB} or {@code TiB} (any case, powers of 1024).
   *
   * @param key the option's key, for the message
   * @param value the value
   * @return the size in bytes
   * @throws SpillConfigurationException if {@code value} is not such a size
   */
  public static long bytes(String key, String value) {
    requireNonNull(value, () -> key + " is null");
    Matcher m = BYTES.matcher(value.trim());
    if (m.matches()) {
      int shift =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            default -> 0;
          };
      try {
        long n = Long.parseLong(m.group(1));
        if (n <= Long.MAX_VALUE >> shift) {
          return n << shift;
        }
      } catch (NumberFormatException tooLarge) {
        // refused below
      }
    }
    throw new SpillConfigurationException(
        key
            + " must be a size in bytes, written like 0,"
            + " 268435456, 256MiB or 1GiB, got '"
            + value
            + "'");
  }

  /**
   * A duration: a number with {@code ms}, {@code s}, {@code m} (or {@code min}) or {@code h}
   * ({@code 60s}, {@code 1.5s}, {@code 2m}), or ISO-8601 ({@code PT2M}).
   *
   * @param key the option's key, for the message
   * @param value the value
   * @return the duration
   * @throws SpillConfigurationException if {@code value} is not such a duration, or negative
   */
  public static Duration duration(String key, String value) {
    requireNonNull(value, () -> key + " is null");
    String t = value.trim();
    Duration d = null;
    Matcher m = SECONDS.matcher(t);
    try {
      if (m.matches()) {
        double millis =
            Double.parseDouble(m.group(1))
                * switch (m.group(2).toLowerCase(Locale.ROOT)) {
                  case "ms" -> 1;
                  case "s" -> 1_000;
                  case "m", "min" -> 60_000;
                  default -> 3_600_000;
                };
        if (millis <= Long.MAX_VALUE) {
          d = Duration.ofMillis(Math.round(millis));
        }
      } else if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
        d = Duration.parse(t);
      }
    } catch (RuntimeException unparsable) {
      d = null;
    }
    if (d == null || d.isNegative()) {
      throw new SpillConfigurationException(
          key + " must be a duration such as 60s, 1.5s or" + " PT2M, got '" + value + "'");
    }
    return d;
  }

  /**
   * A whole number from {@code min} to {@code max}.
   *
   * @param key the option's key, for the message
   * @param value the value
   * @param min the smallest allowed
   * @param max the largest allowed
   * @return the number
   * @throws SpillConfigurationException if {@code value} is not one, or out of range
   */
  public static int integer(String key, String value, int min, int max) {
    requireNonNull(value, () -> key + " is null");
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new SpillConfigurationException(
          key + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new SpillConfigurationException(key + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  /**
   * {@code true} or {@code false}, in any case.
   *
   * @param key the option's key, for the message
   * @param value the value
   * @return the boolean
   * @throws SpillConfigurationException for anything else
   */
  public static boolean bool(String key, String value) {
    requireNonNull(value, () -> key + " is null");
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new SpillConfigurationException(
              key + " must be true or false, got '" + value + "'");
    };
  }

  /**
   * One of an enum's constants, by name in any case.
   *
   * @param <E> the enum
   * @param key the option's key, for the message
   * @param type the enum's class
   * @param value the value
   * @return the constant
   * @throws SpillConfigurationException listing the names, for anything else
   */
  public static <E extends Enum<E>> E choice(String key, Class<E> type, String value) {
    requireNonNull(value, () -> key + " is null");
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SpillConfigurationException(
          key
              + " must be one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(c -> c.name().toLowerCase(Locale.ROOT))
                  .toList()
              + ", got '"
              + value
              + "'");
    }
  }
}
