package io.spill.testkit;

import java.util.Locale;

/**
 * How hard the soak tests (kills, concurrent spillers, repeated rounds) push: a few rounds in the
 * README's test command, enough to catch a regression, and the full counts in the full tier ({@code
 * mvn verify -Pfull}), which sets the system property {@value #PROPERTY} to {@code full}.
 */
public final class Soak {
  /** The system property that selects the tier: {@code quick} (the default) or {@code full}. */
  public static final String PROPERTY = "spill.soak";

  private Soak() {}

  /**
   * Whether this run is the full tier.
   *
   * @return whether it is
   */
  public static boolean isFull() {
    String tier = System.getProperty(PROPERTY, "quick").trim().toLowerCase(Locale.ROOT);
    return switch (tier) {
      case "full" -> true;
      case "quick", "" -> false;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be quick or full, got '" + tier + "'");
    };
  }

  /**
   * {@code quick} in the quick tier, {@code full} in the full tier.
   *
   * @param quick the count of the quick tier, at least 1
   * @param full the count of the full tier, at least {@code quick}
   * @return the count of this tier
   */
  public static int count(int quick, int full) {
    if (quick < 1 || full < quick) {
      throw new IllegalArgumentException(
          "counts must be 1 <= quick <= full, got " + quick + " and " + full);
    }
    return isFull() ? full : quick;
  }

  /**
   * The tier's name for reports: {@code quick} or {@code full}.
   *
   * @return the name
   */
  public static String tier() {
    return isFull() ? "full" : "quick";
  }
}
