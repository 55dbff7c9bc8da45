package dev.herald.ingest;

import dev.herald.ingest.IngestPipelines.Route;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded request bodies written as JSON text by hand, so they hold what a JSON library would
 * never write: escapes, whitespace, numbers of every shape, repeated names, deep nesting, long
 * strings; events of every type with fields missing or of the wrong type; batches with context,
 * integrations and sentAt; and byte-level mutations of all of these.
 */
final class EventCorpus {

  record Body(Route route, byte[] bytes) {}

  private static final String[] TYPES = {"track", "identify", "page", "screen", "group", "alias", "launch", ""};
  private static final String[] FIELDS = {"type", "messageId", "userId", "anonymousId", "event", "groupId",
      "previousId", "timestamp", "originalTimestamp", "sentAt", "writeKey", "context", "integrations",
      "properties", "traits", "receivedAt", "name", "channel", "key", "ip", "batch", "écho", "a\\u0062c"};
  private static final String[] NUMBERS = {"0", "-0", "1", "-17", "12345678901234567890", "1.5", "1.50", "-0.0",
      "0.0", "100.0", "1e3", "1E-7", "2.5e+2", "0.001", "0.0001", "1234567.5", "12345678.5", "3.141592653589793",
      "0.30000000000000004", "1e400", "-1e400", "1.7976931348623157e308", "4.9e-324", "123456789012345.6",
      "9007199254740993", "0.1", "5e-1", "1234567890123456789012345678901234567890",
      "0.12345678901234567890123456789"};
  private static final String[] STRINGS = {"", "plain", "with space", "é☕ unicode 😀", "tab\\there", "q\\\"uote",
      "\\u00e9scaped", "\\ud83d\\ude00", "slash\\/", "back\\\\slash", "nl\\n", "\\u0000nul", "\\ud800",
      "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00+01:00", "2026-11-23T10:00:00.123456789-0130", "yesterday",
      "203.0.113.9", "2001:db8::7", "::ffff:192.0.2.1", "u-1"};

  private final Random random;
  private final int longString;
  private final int padding;

  /**
   * @param longString the length of the long strings some values are (around the string limit)
   * @param padding the length of a string some batches' context carries into every event (0: none)
   */
  EventCorpus(long seed, int longString, int padding) {
    this.random = new Random(seed);
    this.longString = longString;
    this.padding = padding;
  }

  Body next() {
    Body body = switch (random.nextInt(5)) {
      case 0, 1 -> new Body(Route.BATCH, bytes(batch()));
      case 2 -> new Body(Route.SINGLE, bytes(event(pick(TYPES))));
      case 3 -> new Body(Route.RECORDS, bytes(records()));
      default -> new Body(Route.BATCH, bytes(batch()));
    };
    return random.nextInt(6) == 0 ? new Body(body.route(), mutate(body.bytes())) : body;
  }

  private String batch() {
    StringBuilder out = new StringBuilder("{");
    int members = 0;
    if (random.nextInt(6) > 0) {
      out.append(sep(members++)).append("\"batch\"").append(colon()).append('[');
      int count = random.nextInt(12) == 0 || padding > 0 ? random.nextInt(40) : random.nextInt(6);
      for (int i = 0; i < count; i++) {
        out.append(i == 0 ? ws() : "," + ws());
        boolean valid = padding > 0 && random.nextInt(4) > 0;
        out.append(valid ? validTrack() : random.nextInt(15) == 0 ? value(2) : event(pick(TYPES)));
      }
      out.append(']');
    }
    if (random.nextInt(3) > 0) {
      out.append(sep(members++)).append("\"sentAt\"").append(colon()).append(random.nextInt(8) == 0 ? value(1)
          : quote(random.nextInt(4) == 0 ? "2026-11-23T10:00:05Z" : "2026-11-23T10:00:00.000Z"));
    }
    if (random.nextInt(2) == 0) {
      String context = padding > 0 && random.nextBoolean()
          ? "{\"pad\":\"" + "y".repeat(padding) + "\"}" : context();
      out.append(sep(members++)).append("\"context\"").append(colon()).append(random.nextInt(8) == 0 ? value(1)
          : context);
    }
    if (random.nextInt(3) == 0) {
      out.append(sep(members++)).append("\"integrations\"").append(colon()).append(object(2));
    }
    if (random.nextInt(5) == 0) {
      out.append(sep(members++)).append("\"writeKey\"").append(colon()).append(random.nextBoolean() ? "\"wk\"" : value(0));
    }
    if (random.nextInt(6) == 0) {
      out.append(sep(members++)).append(quote(pick(FIELDS))).append(colon()).append(value(2));
    }
    return out.append(ws()).append('}').toString();
  }

  private String records() {
    int count = 1 + random.nextInt(4);
    StringBuilder out = new StringBuilder();
    boolean array = random.nextBoolean();
    if (array) {
      out.append('[');
    }
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(array ? "," : "\n");
      }
      out.append(random.nextInt(10) == 0 ? value(1) : event(null));
    }
    return array ? out.append(']').toString() : out.toString();
  }

  /** An event: mostly valid, with fields missing, retyped, repeated, escaped or padded. */
  private String event(String type) {
    StringBuilder out = new StringBuilder("{").append(ws());
    int members = 0;
    if (type != null && !type.isEmpty() && random.nextInt(10) > 0) {
      out.append(sep(members++)).append("\"type\"").append(colon()).append(quote(type));
    }
    if (random.nextInt(8) > 0) {
      out.append(sep(members++)).append(random.nextBoolean() ? "\"userId\"" : "\"anonymousId\"").append(colon())
          .append(random.nextInt(10) == 0 ? pick(NUMBERS) : quote("user-" + random.nextInt(50)));
    }
    for (String field : new String[] {"event", "groupId", "previousId"}) {
      if (random.nextInt(6) > 0) {
        out.append(sep(members++)).append(quote(field)).append(colon()).append(quote("v-" + random.nextInt(9)));
      }
    }
    if (random.nextInt(3) > 0) {
      out.append(sep(members++)).append("\"messageId\"").append(colon())
          .append(random.nextInt(12) == 0 ? value(1) : quote("m-" + random.nextInt(1000)));
    }
    for (String field : new String[] {"timestamp", "originalTimestamp", "sentAt"}) {
      if (random.nextInt(3) == 0) {
        out.append(sep(members++)).append(quote(field)).append(colon())
            .append(random.nextInt(10) == 0 ? value(0) : quote(pick(STRINGS)));
      }
    }
    if (random.nextBoolean()) {
      out.append(sep(members++)).append("\"context\"").append(colon())
          .append(random.nextInt(10) == 0 ? value(1) : context());
    }
    if (random.nextInt(3) == 0) {
      out.append(sep(members++)).append("\"integrations\"").append(colon()).append(random.nextInt(10) == 0
          ? value(0) : object(2));
    }
    out.append(sep(members++)).append(random.nextBoolean() ? "\"properties\"" : "\"traits\"").append(colon())
        .append(random.nextInt(10) == 0 ? value(0) : object(3));
    for (int i = random.nextInt(4); i > 0; i--) {
      out.append(sep(members++)).append(quote(pick(FIELDS))).append(colon()).append(value(3));
    }
    return out.append(ws()).append('}').toString();
  }

  /** A track event that passes every rule, whatever else it holds. */
  private String validTrack() {
    return "{\"type\":\"track\",\"event\":\"e\",\"userId\":" + quote("u-" + random.nextInt(9))
        + ",\"context\":" + context() + ",\"properties\":" + object(3) + "}";
  }

  private String context() {
    StringBuilder out = new StringBuilder("{");
    int members = 0;
    if (random.nextBoolean()) {
      out.append(sep(members++)).append("\"ip\"").append(colon())
          .append(random.nextInt(5) == 0 ? value(1) : quote(pick(STRINGS)));
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      out.append(sep(members++)).append(quote(random.nextInt(4) == 0 ? "ip" : pick(FIELDS))).append(colon())
          .append(value(2));
    }
    return out.append('}').toString();
  }

  private String object(int depth) {
    StringBuilder out = new StringBuilder("{").append(ws());
    for (int i = 0, n = random.nextInt(5); i < n; i++) {
      out.append(i == 0 ? "" : "," + ws()).append(quote(pick(FIELDS))).append(colon()).append(value(depth - 1));
    }
    return out.append(ws()).append('}').toString();
  }

  private String value(int depth) {
    int kinds = depth <= 0 ? 6 : 9;
    return switch (random.nextInt(kinds)) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      // A batch meant to reach the stored bounds avoids what refuses a whole request.
      case 2, 3 -> padding > 0 ? pick(NUMBERS).replace("e400", "e40") : pick(NUMBERS);
      case 4 -> quote(random.nextInt(30) == 0 ? "x".repeat(longString + random.nextInt(3) - 1) : pick(STRINGS));
      case 5 -> random.nextInt(40) == 0 && padding == 0 ? "[".repeat(20) + "]".repeat(20) : quote(pick(STRINGS));
      case 6, 7 -> object(depth - 1);
      default -> {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
          out.append(i == 0 ? "" : ",").append(ws()).append(value(depth - 1));
        }
        yield out.append(']').toString();
      }
    };
  }

  private String sep(int members) {
    return members == 0 ? "" : "," + ws();
  }

  private String colon() {
    return random.nextInt(8) == 0 ? " : " : ":";
  }

  private String ws() {
    return switch (random.nextInt(10)) {
      case 0 -> " ";
      case 1 -> "\n  ";
      default -> "";
    };
  }

  private static String quote(String escapedText) {
    return "\"" + escapedText + "\"";
  }

  private byte[] mutate(byte[] body) {
    byte[] copy = body.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        return java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(3) && copy.length > 0; i++) {
          String swaps = " {}[]:,\"\\0e.-9tfn";
          copy[random.nextInt(copy.length)] = (byte) swaps.charAt(random.nextInt(swaps.length()));
        }
        return copy;
      }
      case 2 -> {
        int at = random.nextInt(copy.length + 1);
        byte[] out = new byte[copy.length + 1];
        System.arraycopy(copy, 0, out, 0, at);
        out[at] = (byte) ",}]\"".charAt(random.nextInt(4));
        System.arraycopy(copy, at, out, at + 1, copy.length - at);
        return out;
      }
      default -> {
        if (copy.length < 2) {
          return copy;
        }
        int at = random.nextInt(copy.length - 1);
        byte[] out = new byte[copy.length - 1];
        System.arraycopy(copy, 0, out, 0, at);
        System.arraycopy(copy, at + 1, out, at, copy.length - at - 1);
        return out;
      }
    }
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
