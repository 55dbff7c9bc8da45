package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ingest.IngestPipelines.Result;
import dev.herald.ingest.IngestPipelines.Route;
import dev.herald.ingest.IngestPipelines.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming normalizer reads the strings it does not parse from the body's bytes, eight at a
 * time, to bound their length and to judge whether they are copied as sent. Against the
 * tree-based reference: strings whose escapes, multi-byte and non-BMP characters fall at every
 * offset of an eight-byte word and whose lengths straddle the string limit, as names and values,
 * top-level, nested, as whole batch items and at the very end of a body; and whitespace at every
 * place between tokens.
 */
class NormalizerStringsDifferentialTest {

  private static final long SEED = 1313;
  private static final int MAX_STRING = 24;
  private static final IngestOptions OPTIONS = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")))
      .withLimits(4096, 200_000, 50)
      .withJsonLimits(new JsonLimits(10, MAX_STRING, 30));
  private static final Scope SCOPE = new Scope(IpPolicy.KEEP, "192.0.2.7", Instant.parse("2026-11-23T10:00:03Z"));
  private static final String[] PIECES = {"a", "bc", "defgh", "ijklmnopq", "\\\"", "\\\\", "\\n", "\\/", "\\u00e9",
      "\\u0022", "\\ud83d\\ude00", "é", "☕", "😀", "€", "\\t", " ", "0", "-0", "\\u005c"};
  private static final String[] GAPS = {"", "", "", " ", "\n", "\t", "\r\n  "};

  private final IngestPipelines pipelines = new IngestPipelines(OPTIONS);
  private final Random random = new Random(SEED);
  private int accepted;
  private int overlong;

  @Test
  void stringsOfEveryShapeAroundTheLimitAreBoundedAndCopiedAsTheReferenceStoresThem() {
    for (int i = 0; i < 6000; i++) {
      String body = random.nextInt(4) == 0 ? records() : batch();
      Route route = body.startsWith("{\"batch\"") ? Route.BATCH : Route.RECORDS;
      check(route, body);
    }
    assertTrue(accepted > 1000 && overlong > 1000, accepted + " accepted, " + overlong + " over the string limit");
  }

  @Test
  void aStringEndingTheBodyIsReadToItsLastByte() {
    for (int length = 0; length < 40; length++) {
      String text = "x".repeat(length);
      check(Route.RECORDS, "{\"messageId\":\"m\",\"v\":\"" + text + "\"}");
      check(Route.RECORDS, "\"" + text + "\"");
      check(Route.RECORDS, "\"" + text + "é\"");
      check(Route.RECORDS, "{\"v\":\"" + text + "\\\"\"}");
      check(Route.BATCH, "{\"batch\":[{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u\",\"properties\":{\"p\":\""
          + text + "😀\"}}]}");
    }
  }

  private void check(Route route, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    Result reference = pipelines.reference(route, body, SCOPE);
    Result streaming = pipelines.streaming(route, body, SCOPE);
    assertEquals(reference, streaming, route + ": " + text);
    for (String item : reference.items()) {
      accepted += item.startsWith("accepted") ? 1 : 0;
      overlong += item.contains("string_too_long") ? 1 : 0;
    }
  }

  private String batch() {
    StringBuilder out = new StringBuilder("{\"batch\":[");
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      out.append(i == 0 ? gap() : "," + gap());
      out.append(random.nextInt(12) == 0 ? string() : event());
    }
    out.append(gap()).append("]");
    if (random.nextInt(4) == 0) {
      out.append(",\"context\":{\"note\":").append(string()).append('}');
    }
    return out.append('}').toString();
  }

  private String records() {
    StringBuilder out = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      out.append(i == 0 ? "" : "\n").append(random.nextInt(6) == 0 ? string() : "{\"key\":" + string() + ",\"v\":"
          + value(2) + gap() + "}");
    }
    return out.toString();
  }

  private String event() {
    StringBuilder out = new StringBuilder("{").append(gap()).append("\"type\"").append(gap()).append(':').append(gap())
        .append("\"track\",\"event\":\"e\",\"userId\":").append(random.nextInt(8) == 0 ? string() : "\"u\"");
    if (random.nextBoolean()) {
      out.append(",\"context\":{\"ip\":\"203.0.113.9\",").append(string()).append(':').append(value(1)).append('}');
    }
    out.append(',').append(gap()).append("\"properties\"").append(gap()).append(':').append(gap()).append(value(3));
    if (random.nextInt(3) == 0) {
      out.append(',').append(string()).append(':').append(value(2));
    }
    return out.append(gap()).append('}').toString();
  }

  private String value(int depth) {
    int kind = random.nextInt(depth <= 0 ? 3 : 5);
    return switch (kind) {
      case 0, 1 -> string();
      case 2 -> random.nextBoolean() ? "-0" : random.nextBoolean() ? "1.50" : "7";
      case 3 -> {
        StringBuilder out = new StringBuilder("{").append(gap());
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
          // Repeated names now and then: a pair of short names.
          String name = random.nextInt(5) == 0 ? (random.nextBoolean() ? "\"k\"" : "\"\\u006b\"") : string();
          out.append(i == 0 ? "" : "," + gap()).append(name).append(gap()).append(':').append(gap())
              .append(value(depth - 1));
        }
        yield out.append(gap()).append('}').toString();
      }
      default -> {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
          out.append(i == 0 ? gap() : "," + gap()).append(value(depth - 1));
        }
        yield out.append(']').toString();
      }
    };
  }

  /** A JSON string of pieces: mostly short, else within a few characters of the limit. */
  private String string() {
    StringBuilder out = new StringBuilder("\"");
    int target = random.nextInt(6) > 0 ? random.nextInt(16) : MAX_STRING - 6 + random.nextInt(12);
    int units = 0;
    while (units < target) {
      String piece = PIECES[random.nextInt(random.nextInt(3) == 0 ? PIECES.length : 4)];
      out.append(piece);
      units += new String(piece.replace("\\u00e9", "é").replace("\\u0022", "\"").replace("\\ud83d\\ude00", "😀")
          .replace("\\u005c", "\\")).replaceAll("\\\\(.)", "$1").length();
    }
    return out.append('"').toString();
  }

  private String gap() {
    return GAPS[random.nextInt(GAPS.length)];
  }
}
