package dev.herald.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Finds {@code "key":"prefix<digits>"} or {@code "key":<digits>} in a JSON body by scanning its
 * bytes: the receivers check every event's id at the drain's pace, and a full parse would take
 * cores from Herald on the same machine. The bodies come from Herald's compact JSON encoding.
 */
final class BodyScan {
  private final byte[] pattern;
  /** Horspool's shift per byte value: how far the pattern may move when its window ends on that byte. */
  private final int[] shift = new int[256];

  /** @param quotedPrefix the start of a string value ({@code "bench-"}), or null for a bare number */
  BodyScan(String key, String quotedPrefix) {
    String p = "\"" + key + "\":" + (quotedPrefix == null ? "" : "\"" + quotedPrefix);
    this.pattern = p.getBytes(StandardCharsets.UTF_8);
    java.util.Arrays.fill(shift, pattern.length);
    for (int k = 0; k < pattern.length - 1; k++) {
      shift[pattern[k] & 0xFF] = pattern.length - 1 - k;
    }
  }

  /** Calls {@code each} with the number after every occurrence; returns how many there were. */
  int forEach(byte[] body, LongConsumer each) {
    int found = 0;
    int last = body.length - pattern.length;
    byte lastByte = pattern[pattern.length - 1];
    // Horspool: most windows are rejected on their last byte and skip ahead by up to the pattern's length.
    for (int i = 0; i <= last; ) {
      byte end = body[i + pattern.length - 1];
      if (end != lastByte || !matchesAt(body, i)) {
        i += shift[end & 0xFF];
        continue;
      }
      int j = i + pattern.length;
      long value = 0;
      int digits = 0;
      while (j < body.length && body[j] >= '0' && body[j] <= '9') {
        value = value * 10 + (body[j++] - '0');
        digits++;
      }
      each.accept(digits == 0 ? -1 : value);
      found++;
      i = j;
    }
    return found;
  }

  private boolean matchesAt(byte[] body, int at) {
    for (int k = 0; k < pattern.length - 1; k++) {
      if (body[at + k] != pattern[k]) return false;
    }
    return true;
  }
}
