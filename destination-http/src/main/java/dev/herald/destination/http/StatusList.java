package dev.herald.destination.http;

import io.vertx.core.json.JsonArray;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of HTTP statuses written in config as a list of codes ({@code 404}), ranges
 * ({@code "502-504"}) or classes ({@code "5xx"}). Only 1xx and 3xx to 5xx may be listed: a 2xx
 * answer always means delivered.
 */
final class StatusList {

  private static final Pattern RANGE = Pattern.compile("(\\d{3})\\s*-\\s*(\\d{3})");
  private static final Pattern CLASS = Pattern.compile("([1-5])xx", Pattern.CASE_INSENSITIVE);

  private final BitSet statuses;

  private StatusList(BitSet statuses) {
    this.statuses = statuses;
  }

  boolean contains(int status) {
    return status >= 0 && statuses.get(status);
  }

  /** The list's statuses; {@code entries} must have passed {@link #problem}. */
  static StatusList of(JsonArray entries) {
    BitSet set = new BitSet(600);
    for (Object entry : entries) {
      int[] range = range(entry);
      set.set(range[0], range[1] + 1);
    }
    return new StatusList(set);
  }

  /** The problem with a list's entries, naming the key and the first bad entry, or null. */
  static String problem(String name, Object value) {
    for (Object entry : (JsonArray) value) {
      int[] range = range(entry);
      if (range == null) {
        return "'" + name + "' entries must be statuses (404), ranges (\"502-504\") or classes (\"5xx\"), not '" + entry + "'";
      }
      if (range[0] < 100 || range[1] > 599 || range[0] > range[1]) {
        return "'" + name + "' entry '" + entry + "' must lie within 100-599, low to high";
      }
      if (range[0] < 300 && range[1] >= 200) {
        return "'" + name + "' entry '" + entry + "' may not list 2xx: a 2xx answer always means delivered";
      }
    }
    return null;
  }

  /** {low, high} of an entry, or null when it is none of the three forms. */
  private static int[] range(Object entry) {
    if (entry instanceof Number n) return new int[] {n.intValue(), n.intValue()};
    if (!(entry instanceof String text)) return null;
    String s = text.trim();
    if (s.matches("\\d{3}")) return new int[] {Integer.parseInt(s), Integer.parseInt(s)};
    Matcher range = RANGE.matcher(s);
    if (range.matches()) return new int[] {Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2))};
    Matcher cls = CLASS.matcher(s);
    if (cls.matches()) {
      int low = Integer.parseInt(cls.group(1)) * 100;
      return new int[] {low, low + 99};
    }
    return null;
  }
}
