package dev.herald.bus.log.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last value decoded for each of a record's low-variety fields (type, topic, source): a log
 * read repeats them record after record, so a match reuses the String instead of decoding a new
 * one. One per reader; not thread-safe.
 */
final class RecentStrings {

  private final byte[][] bytes;
  private final String[] strings;

  RecentStrings(int fields) {
    bytes = new byte[fields][];
    strings = new String[fields];
  }

  /** The UTF-8 string at {@code array[from, from + length)}, reused when field {@code slot} had it last. */
  String get(int slot, byte[] array, int from, int length) {
    byte[] last = bytes[slot];
    if (last != null && Arrays.equals(last, 0, last.length, array, from, from + length)) return strings[slot];
    String value = new String(array, from, length, StandardCharsets.UTF_8);
    bytes[slot] = Arrays.copyOfRange(array, from, from + length);
    strings[slot] = value;
    return value;
  }
}
