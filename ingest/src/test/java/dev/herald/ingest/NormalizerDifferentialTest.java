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
 * The streaming normalizer against the tree-based one it replaced: over seeded generated and
 * mutated bodies, both give the same request error, the same per-item rejections (code, message,
 * messageId), the same accepted events with equal stored JSON of the same size (every size limit
 * depends on it), and so the same HTTP answer.
 */
class NormalizerDifferentialTest {

  private static final long SEED = 1329;
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:03.123Z");
  private static final IngestOptions DEFAULTS = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")));
  private static final IngestOptions TIGHT = DEFAULTS.withLimits(700, 8192, 10)
      .withJsonLimits(new JsonLimits(6, 60, 25));
  private static final String[] ADDRESSES = {null, "192.0.2.7", "2001:db8::1"};

  @Test
  void generatedBodiesAreStoredAndRefusedAlikeUnderDefaultLimits() {
    Tally tally = compare(DEFAULTS, new EventCorpus(SEED, 200, 0), 6000, SEED);
    tally.requireVaried(List.of("invalid_json", "invalid_event", "invalid_batch"));
  }

  @Test
  void generatedBodiesAreStoredAndRefusedAlikeUnderTightLimits() {
    Tally tally = compare(TIGHT, new EventCorpus(SEED + 1, 60, 0), 6000, SEED + 1);
    tally.requireVaried(List.of("invalid_json", "invalid_event", "invalid_batch", "event_too_large",
        "string_too_long", "nesting_too_deep", "number_too_long", "batch_too_large"));
  }

  @Test
  void batchesWhoseContextAmplifiesEveryEventMeetTheStoredBoundsAlike() {
    IngestOptions amplifying = DEFAULTS.withLimits(4000, 3000, 30).withJsonLimits(new JsonLimits(8, 0, 40));
    Tally tally = compare(amplifying, new EventCorpus(SEED + 3, 4000, 3500), 3000, SEED + 3);
    tally.requireVaried(List.of("invalid_json", "invalid_event", "event_too_large", "string_too_long",
        "payload_too_large"));
  }

  @Test
  void fuzzedBodiesAreStoredAndRefusedAlike() {
    FuzzBodies bodies = new FuzzBodies(SEED + 2, "wk");
    IngestPipelines pipelines = new IngestPipelines(TIGHT.withLimits(4096, 200_000, 50));
    Random random = new Random(SEED + 2);
    Tally tally = new Tally();
    for (int i = 0; i < 3000; i++) {
      FuzzBodies.Request request = bodies.next();
      Route route = FuzzBodies.SINGLE_PATHS.contains(request.path()) ? Route.SINGLE
          : FuzzBodies.BATCH_PATHS.contains(request.path()) ? Route.BATCH : Route.RECORDS;
      check(pipelines, route, request.body(), scope(random), "fuzzed body " + i + " (seed " + (SEED + 2) + ")", tally);
    }
    assertTrue(tally.accepted > 100, "only " + tally.accepted + " accepted");
  }

  @Test
  void decimalsJudgedCompactAreWhatDoubleToStringWrites() {
    Random random = new Random(SEED);
    int judged = 0;
    for (int i = 0; i < 300_000; i++) {
      String text = (random.nextBoolean() ? "-" : "") + digits(random, 1 + random.nextInt(8)) + "."
          + digits(random, 1 + random.nextInt(12));
      text = text.replaceFirst("^(-?)0+(\\d)", "$1$2");
      if (Decimals.shortestForm(text.toCharArray(), 0, text.length())) {
        judged++;
        assertEquals(text, Double.toString(Double.parseDouble(text)), "judged compact: " + text);
      }
    }
    assertTrue(judged > 50_000, "only " + judged + " judged compact");
  }

  private static String digits(Random random, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append((char) ('0' + (random.nextInt(3) == 0 ? 0 : random.nextInt(10))));
    }
    return out.toString();
  }

  private static Tally compare(IngestOptions options, EventCorpus corpus, int count, long seed) {
    IngestPipelines pipelines = new IngestPipelines(options);
    Random random = new Random(seed);
    Tally tally = new Tally();
    for (int i = 0; i < count; i++) {
      EventCorpus.Body body = corpus.next();
      check(pipelines, body.route(), body.bytes(), scope(random), "body " + i + " (seed " + seed + ")", tally);
    }
    return tally;
  }

  private static Scope scope(Random random) {
    return new Scope(IpPolicy.values()[random.nextInt(3)], ADDRESSES[random.nextInt(ADDRESSES.length)], NOW);
  }

  private static void check(IngestPipelines pipelines, Route route, byte[] body, Scope scope, String what,
      Tally tally) {
    if (Utf8.firstInvalidByte(body, body.length) >= 0) {
      return;
    }
    Result reference = pipelines.reference(route, body, scope);
    Result streaming = pipelines.streaming(route, body, scope);
    String context = what + ", " + route + " " + scope + ": " + new String(body, StandardCharsets.UTF_8);
    assertEquals(reference.requestError(), streaming.requestError(), context);
    assertEquals(reference.bodyKey(), streaming.bodyKey(), context);
    assertEquals(reference.items(), streaming.items(), context);
    assertEquals(reference.payloads(), streaming.payloads(), context);
    tally.add(reference);
  }

  /** What the corpus reached, so the comparison is not vacuous. */
  private static final class Tally {
    int requestErrors;
    int accepted;
    int rejected;
    final java.util.Set<String> codes = new java.util.TreeSet<>();

    void add(Result result) {
      if (result.requestError() != null) {
        requestErrors++;
        codes.add(result.requestError().substring(0, result.requestError().indexOf(':')));
      }
      for (String item : result.items()) {
        if (item.startsWith("accepted")) {
          accepted++;
        } else {
          rejected++;
          codes.add(item.substring("rejected ".length(), item.indexOf(' ', "rejected ".length())));
        }
      }
    }

    void requireVaried(List<String> expectedCodes) {
      assertTrue(accepted > 500 && rejected > 500 && requestErrors > 200,
          accepted + " accepted, " + rejected + " rejected, " + requestErrors + " request errors");
      for (String code : expectedCodes) {
        assertTrue(codes.contains(code), code + " never met; codes " + codes);
      }
    }
  }
}
