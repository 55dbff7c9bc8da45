package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.ingest.EventNormalizer.Accepted;
import dev.herald.ingest.EventNormalizer.Outcome;
import dev.herald.ingest.EventNormalizer.RequestScope;
import dev.herald.ingest.PayloadParser.BatchItem;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes through the ingest parser and normalizers, as a request body of each kind: the only
 * outcomes are events accepted within {@code maxEventBytes} as stored (and within the request's
 * stored bound), events rejected one by one, or an {@link IngestException}, never another
 * exception. Small limits so the fuzzer reaches every bound.
 *
 * <p>{@code mvn test} runs the inputs under {@code IngestParserFuzzTestInputs/}; fuzzing is
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ingest test -Dtest=IngestParserFuzzTest}.
 */
class IngestParserFuzzTest {

  private static final int MAX_EVENT_BYTES = 512;
  private static final IngestOptions OPTIONS = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")))
      .withLimits(MAX_EVENT_BYTES, 4096, 20)
      .withJsonLimits(new JsonLimits(16, 0, 40));
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private final PayloadParser parser = new PayloadParser(OPTIONS.maxBatchEvents(), OPTIONS.json(),
      OPTIONS.maxEventBytes());
  private final EventNormalizer events = new EventNormalizer(OPTIONS.maxEventBytes());
  private final RawRecordNormalizer records = new RawRecordNormalizer(OPTIONS.maxEventBytes());

  @FuzzTest(maxDuration = "10m")
  void anyBodyIsAcceptedWithinTheBoundsOrRefusedWithAnIngestError(byte[] input) {
    if (input.length == 0) {
      return;
    }
    // The first byte picks the route; the rest is the body, as BodyDecoder would pass it on.
    byte[] body = Arrays.copyOfRange(input, 1, Math.min(input.length, OPTIONS.maxRequestBytes() + 1));
    if (Utf8.firstInvalidByte(body, body.length) >= 0) {
      return;
    }
    StoredSizeBound bound = new StoredSizeBound(OPTIONS.maxStoredRequestBytes(), OPTIONS.maxEventBytes());
    try {
      switch (Math.floorMod(input[0], 3)) {
        case 0 -> {
          if (body.length <= MAX_EVENT_BYTES) {
            check(events.normalize(parser.parseObject(body), body.length, "track", scope(null)), bound);
          }
        }
        case 1 -> {
          PayloadParser.Batch batch = parser.parseBatch(body);
          RequestScope scope = scope(batch.envelope());
          for (BatchItem item : batch.items()) {
            check(events.normalize(item.value(), item.sizeBytes(), null, scope), bound);
          }
        }
        default -> {
          List<BatchItem> items = parser.parseRecords(body);
          for (int i = 0; i < items.size(); i++) {
            check(records.normalize(items.get(i).value(), items.get(i).sizeBytes(), i, items.size(), "idem",
                "fuzz", "web", NOW), bound);
          }
        }
      }
    } catch (IngestException refused) {
      assertTrue(refused.code() != ErrorCode.INTERNAL_ERROR && refused.getMessage() != null, refused.toString());
    }
  }

  private static RequestScope scope(JsonObject envelope) {
    return RequestScope.of("web", IpPolicy.TRUNCATE, "192.0.2.7", NOW, envelope, null);
  }

  private static void check(Outcome outcome, StoredSizeBound bound) {
    bound.charge(outcome);
    if (outcome instanceof Accepted accepted) {
      int stored = accepted.event().payloadBytes().length();
      assertTrue(stored <= MAX_EVENT_BYTES, "stored " + stored + " bytes");
      // What is stored reads back as the payload it was made from.
      assertEquals(accepted.payload(), new JsonObject(accepted.event().payloadBytes()));
    }
  }
}
