package dev.herald.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated request bodies for the generated-input test: valid Segment events and raw
 * records, then truncated, bit-flipped, spliced, retyped, deeply nested, with huge numbers, long
 * strings, invalid UTF-8 or gzip garbage.
 */
final class FuzzBodies {

  static final List<String> SINGLE_PATHS = List.of("/v1/track", "/v1/identify/", "/v1/page", "/v1/screen",
      "/v1/group", "/v1/alias", "/v1/t", "/v1/i/", "/v1/p", "/v1/s", "/v1/g", "/v1/a");
  static final List<String> BATCH_PATHS = List.of("/v1/batch", "/v1/import/", "/v1/b");
  static final List<String> TOPIC_PATHS = List.of("/v1/topics/fuzz", "/v1/topics/fuzz.2/");
  private static final String[] TYPES = {"track", "identify", "page", "screen", "group", "alias", "launch", ""};
  private static final String[] FIELDS = {"userId", "anonymousId", "event", "type", "messageId", "timestamp",
      "sentAt", "originalTimestamp", "context", "integrations", "properties", "traits", "groupId", "previousId",
      "writeKey", "batch", "key", "name"};
  private static final String[] CONTENT_TYPES = {"application/json", "text/plain", "text/plain;charset=UTF-8",
      "application/json; charset=iso-8859-1", "application/x-ndjson", "application/xml", "", null};

  /** One request: where it goes, its headers' choices and its bytes. */
  record Request(String path, String contentType, boolean gzip, KeyPlacement key, byte[] body) {}

  enum KeyPlacement { BASIC, BODY_ONLY, NONE, WRONG }

  private static final String RAW = "@@RAW@@";

  private final Random random;
  private final String writeKey;
  private long sequence;

  FuzzBodies(long seed, String writeKey) {
    this.random = new Random(seed);
    this.writeKey = writeKey;
  }

  Request next() {
    int route = random.nextInt(10);
    String path;
    JsonObject template;
    if (route < 5) {
      path = pick(SINGLE_PATHS);
      template = event(null);
    } else if (route < 8) {
      path = pick(BATCH_PATHS);
      JsonArray items = new JsonArray();
      int count = random.nextInt(4) == 0 ? random.nextInt(40) : 1 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        items.add(random.nextInt(12) == 0 ? randomValue(2) : event(TYPES[random.nextInt(TYPES.length)]));
      }
      template = new JsonObject().put("batch", items).put("sentAt", timestamp());
      if (random.nextBoolean()) {
        template.put("context", new JsonObject().put("library", new JsonObject().put("name", "fuzz")));
      }
    } else {
      path = pick(TOPIC_PATHS);
      template = new JsonObject().put("n", random.nextInt()).put("key", random.nextBoolean() ? "k" + random.nextInt(9) : null);
    }
    KeyPlacement key = KeyPlacement.values()[random.nextInt(10) < 7 ? 0 : random.nextInt(4)];
    if (key == KeyPlacement.BODY_ONLY || random.nextInt(4) == 0) {
      template.put("writeKey", key == KeyPlacement.WRONG ? "not-the-key" : writeKey);
    }
    String raw = null;
    if (random.nextInt(3) == 0) {
      raw = rawValue();
      JsonObject target = template;
      if (template.getValue("batch") instanceof JsonArray items && !items.isEmpty()
          && items.getValue(0) instanceof JsonObject first && random.nextBoolean()) {
        target = first;
      }
      target.put(FIELDS[random.nextInt(FIELDS.length)], RAW);
    }
    byte[] body = encode(path, template);
    if (raw != null) {
      body = new String(body, StandardCharsets.UTF_8).replace("\"" + RAW + "\"", raw).getBytes(StandardCharsets.UTF_8);
    }
    if (random.nextInt(3) == 0) {
      body = mutate(body);
    }
    boolean gzip = random.nextInt(8) == 0;
    if (gzip) {
      body = random.nextInt(4) == 0 ? randomBytes(random.nextInt(200)) : gzipMaybeBroken(body);
    }
    String contentType = random.nextInt(3) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)] : "application/json";
    return new Request(path, contentType, gzip, key, body);
  }

  private byte[] encode(String path, JsonObject template) {
    if (TOPIC_PATHS.contains(path) && random.nextInt(3) == 0) {
      StringBuilder ndjson = new StringBuilder();
      for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
        ndjson.append(template.copy().put("i", i).encode()).append('\n');
      }
      return ndjson.toString().getBytes(StandardCharsets.UTF_8);
    }
    return template.encode().getBytes(StandardCharsets.UTF_8);
  }

  private JsonObject event(String type) {
    JsonObject event = new JsonObject();
    if (type != null && !type.isEmpty()) {
      event.put("type", type);
    }
    if (random.nextInt(10) > 0) {
      event.put(random.nextBoolean() ? "userId" : "anonymousId", "user-" + random.nextInt(50));
    }
    event.put("event", "Fuzzed " + random.nextInt(5)).put("groupId", "g").put("previousId", "p").put("userId", "u");
    if (random.nextInt(3) > 0) {
      event.put("messageId", "fuzz-" + (sequence++) + (random.nextInt(20) == 0 ? "-dup" : ""));
    }
    if (random.nextBoolean()) {
      event.put("timestamp", timestamp());
    }
    event.put("properties", new JsonObject().put("amount", random.nextDouble() * 100).put("tags", new JsonArray().add("a")));
    // Retype a few fields to anything at all.
    for (int i = random.nextInt(3); i > 0; i--) {
      event.put(FIELDS[random.nextInt(FIELDS.length)], randomValue(3));
    }
    return event;
  }

  private String timestamp() {
    return switch (random.nextInt(6)) {
      case 0 -> "2026-11-23T10:00:00.000Z";
      case 1 -> "yesterday";
      case 2 -> "2026-02-30T10:00:00Z";
      case 3 -> "+999999999-12-31T23:59:59Z";
      default -> java.time.Instant.now().minusSeconds(random.nextInt(100_000)).toString();
    };
  }

  private Object randomValue(int depth) {
    return switch (random.nextInt(depth <= 0 ? 6 : 8)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextLong();
      case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(300));
      case 4 -> "s" + random.nextInt(1000);
      case 5 -> "";
      case 6 -> {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.put(FIELDS[random.nextInt(FIELDS.length)], randomValue(depth - 1));
        }
        yield object;
      }
      default -> {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(depth - 1));
        }
        yield array;
      }
    };
  }

  /** JSON text that stays well-formed but pushes a limit or a type rule. */
  private String rawValue() {
    int depth = 1 + random.nextInt(120);
    return switch (random.nextInt(12)) {
      case 0 -> "1e999";
      case 1 -> "-1e999";
      case 2 -> "9".repeat(1 + random.nextInt(400));
      case 3 -> "0." + "1".repeat(1 + random.nextInt(300));
      case 4 -> "[".repeat(depth) + "]".repeat(depth);
      case 5 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
      case 6 -> "\"" + "x".repeat(random.nextInt(70_000)) + "\"";
      case 7 -> "\"\\ud800\"";
      case 8 -> "\"\\u0000\\udfff\\ud83d\\ude00\"";
      case 9 -> "-0";
      case 10 -> "1.7976931348623157e308";
      default -> "\"" + "é☕".repeat(random.nextInt(20_000)) + "\"";
    };
  }

  private byte[] mutate(byte[] body) {
    return switch (random.nextInt(8)) {
      case 0 -> Arrays.copyOf(body, random.nextInt(body.length + 1));
      case 1 -> flip(body, 1 + random.nextInt(4));
      case 2 -> insert(body, new byte[] {(byte) 0xFF});
      case 3 -> insert(body, new byte[] {(byte) 0xC0, (byte) 0xAF});
      case 4 -> insert(body, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
      case 5 -> insert(body, rawValue().getBytes(StandardCharsets.UTF_8));
      case 6 -> randomBytes(random.nextInt(300));
      default -> insert(body, new byte[] {(byte) ',', (byte) '}'});
    };
  }

  private byte[] flip(byte[] body, int count) {
    byte[] copy = body.clone();
    for (int i = 0; i < count && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private byte[] insert(byte[] body, byte[] bytes) {
    int at = random.nextInt(body.length + 1);
    byte[] out = new byte[body.length + bytes.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(body, at, out, at + bytes.length, body.length - at);
    return out;
  }

  private byte[] gzipMaybeBroken(byte[] body) {
    try {
      byte[] zipped = IngestTestBase.gzip(body);
      return switch (random.nextInt(3)) {
        case 0 -> Arrays.copyOf(zipped, random.nextInt(zipped.length + 1));
        case 1 -> flip(zipped, 2);
        default -> zipped;
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
