package io.spill.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the cases of one direction at one size fairly: in rounds, each running every case once,
 * in an order that changes from round to round (rotated by one each round, reversed every other
 * round), so that no case always runs first, last, or after the same neighbour, and a JVM that gets
 * faster over its life (Spark's write did, from 5.1 to 2.7 s) favours no case. The first {@code
 * warmups} rounds are not timed. Each case reports the median of its timed runs and their range.
 */
final class Rotation {
  private Rotation() {}

  /**
   * Runs the rounds and returns one measurement per case, in the cases' order.
   *
   * @param cases the cases, all of one direction
   * @param size the rows each case moves
   * @param warmups untimed rounds first, at least 0
   * @param runs timed rounds, at least 1
   * @param log where each round's times go
   * @return the measurements
   */
  static List<Measurement> measure(
      List<BenchCase> cases, long size, int warmups, int runs, PrintStream log) {
    Map<BenchCase, double[]> seconds = new LinkedHashMap<>();
    Map<BenchCase, long[]> memory = new LinkedHashMap<>(); // heap, rss
    Map<BenchCase, String> failed = new LinkedHashMap<>();
    List<BenchCase> running = new ArrayList<>();
    for (BenchCase c : cases) {
      if (size > c.maxRows()) {
        failed.put(c, String.format(Locale.ROOT, "not run above %,d rows", c.maxRows()));
      } else {
        running.add(c);
        seconds.put(c, new double[runs]);
        memory.put(c, new long[] {0, -1});
      }
    }
    for (int round = 0; round < warmups + runs; round++) {
      boolean timed = round >= warmups;
      for (BenchCase c : order(running, round)) {
        if (failed.containsKey(c)) {
          continue;
        }
        try {
          System.gc();
          MemoryProbe.reset();
          long start = System.nanoTime();
          long moved = c.run();
          double s = (System.nanoTime() - start) / 1e9;
          if (moved != size) {
            throw new IllegalStateException(c.name() + " moved " + moved + " rows, not " + size);
          }
          if (timed) {
            seconds.get(c)[round - warmups] = s;
            long[] m = memory.get(c);
            m[0] = Math.max(m[0], MemoryProbe.heapPeak());
            m[1] = Math.max(m[1], MemoryProbe.rssPeak());
          }
          log.printf(
              Locale.ROOT,
              "  %s round %d %-45s %9.3f s%n",
              timed ? "timed " : "warm-up",
              round + 1,
              c.name(),
              s);
        } catch (OutOfMemoryError e) {
          System.gc();
          failed.put(c, "failed: OutOfMemoryError");
          log.printf("  %-45s OutOfMemoryError%n", c.name());
        } catch (Exception e) {
          failed.put(c, "failed: " + e.getClass().getSimpleName());
          log.printf("  %-45s failed: %s%n", c.name(), e);
        }
      }
    }
    List<Measurement> out = new ArrayList<>();
    for (BenchCase c : cases) {
      String failure = failed.get(c);
      if (failure != null) {
        out.add(
            new Measurement(
                c.direction(),
                c.name(),
                size,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                runs,
                -1,
                -1,
                failure));
        continue;
      }
      double[] s = seconds.get(c).clone();
      Arrays.sort(s);
      double median =
          s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      long[] m = memory.get(c);
      out.add(
          new Measurement(
              c.direction(),
              c.name(),
              size,
              median,
              s[0],
              s[s.length - 1],
              runs,
              m[0],
              m[1],
              null));
      log.printf(
          Locale.ROOT,
          "  %-16s %-45s median %9.3f s (%.3f-%.3f)%n",
          c.direction(),
          c.name(),
          median,
          s[0],
          s[s.length - 1]);
    }
    return out;
  }

  /** Round {@code round}'s order: rotated by the round, reversed on odd rounds. */
  static List<BenchCase> order(List<BenchCase> cases, int round) {
    List<BenchCase> order = new ArrayList<>(cases);
    if (!order.isEmpty()) {
      java.util.Collections.rotate(order, -(round % order.size()));
    }
    if (round % 2 == 1) {
      java.util.Collections.reverse(order);
    }
    return order;
  }
}
