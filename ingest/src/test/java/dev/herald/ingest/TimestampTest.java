package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ISO-8601 validation and the clock-skew rule, on a fixed clock:
 * {@code timestamp = receivedAt − (sentAt − originalTimestamp)}, bounded to 24 h back and 30 min ahead.
 */
class TimestampTest extends IngestTestBase {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.000Z");
  private final TestClock testClock = new TestClock(NOW);

  @Override
  java.time.Clock clock() {
    return testClock;
  }

  private JsonObject storedAfter(JsonObject event) throws Exception {
    int before = readLog().size();
    assertEquals(200, post("/v1/track", event, WEB_KEY).statusCode());
    return readLog().get(before).event().payload();
  }

  @Test
  void clientClockSkewIsCorrectedWithSentAt() throws Exception {
    // The client's clock runs 2 h behind; the event happened 5 s before it was sent.
    JsonObject stored = storedAfter(track("u", "Skewed")
        .put("timestamp", "2026-11-23T09:59:55.000Z").put("sentAt", "2026-11-23T10:00:00.000Z"));
    assertEquals("2026-11-23T12:00:00.000Z", stored.getString("receivedAt"));
    assertEquals("2026-11-23T09:59:55.000Z", stored.getString("originalTimestamp"));
    assertEquals("2026-11-23T10:00:00.000Z", stored.getString("sentAt"));
    assertEquals("2026-11-23T11:59:55.000Z", stored.getString("timestamp"));
  }

  @Test
  void originalTimestampAndSentAtWithoutTimestampAreCorrectedTheSameWay() throws Exception {
    // RudderStack's SDKs send originalTimestamp and sentAt, never timestamp; this client runs 2 h behind.
    JsonObject single = storedAfter(track("u", "Rudder")
        .put("originalTimestamp", "2026-11-23T09:59:55.000Z").put("sentAt", "2026-11-23T10:00:00.000Z"));
    assertEquals("2026-11-23T09:59:55.000Z", single.getString("originalTimestamp"));
    assertEquals("2026-11-23T11:59:55.000Z", single.getString("timestamp"));

    JsonObject batch = new JsonObject().put("writeKey", WEB_KEY).put("sentAt", "2026-11-23T10:00:00.000Z")
        .put("batch", new JsonArray().add(track("u", "InBatch").put("type", "track")
            .put("originalTimestamp", "2026-11-23T09:59:50.000Z")));
    assertEquals(200, post("/v1/batch", batch, null).statusCode());
    JsonObject item = readLog().get(1).event().payload();
    assertEquals("2026-11-23T11:59:50.000Z", item.getString("timestamp"));
    assertEquals("2026-11-23T10:00:00.000Z", item.getString("sentAt"));
  }

  @Test
  void withoutSentAtTheClientTimeIsKeptAndWithoutAnyTimeItIsReceivedAt() throws Exception {
    JsonObject noSentAt = storedAfter(track("u", "A").put("timestamp", "2026-11-23T11:30:00+01:00"));
    assertEquals("2026-11-23T10:30:00.000Z", noSentAt.getString("timestamp"));
    assertEquals("2026-11-23T11:30:00+01:00", noSentAt.getString("originalTimestamp"));

    JsonObject noTime = storedAfter(track("u", "B"));
    assertEquals("2026-11-23T12:00:00.000Z", noTime.getString("timestamp"));
    assertNull(noTime.getValue("originalTimestamp"));
  }

  @Test
  void timestampsTooFarOffBecomeReceivedAt() throws Exception {
    JsonObject old = storedAfter(track("u", "Old").put("timestamp", "2026-11-22T11:59:59.000Z"));
    assertEquals("2026-11-23T12:00:00.000Z", old.getString("timestamp"));
    assertEquals("2026-11-22T11:59:59.000Z", old.getString("originalTimestamp"));

    JsonObject justWithin = storedAfter(track("u", "Day").put("timestamp", "2026-11-22T12:00:01.000Z"));
    assertEquals("2026-11-22T12:00:01.000Z", justWithin.getString("timestamp"));

    JsonObject future = storedAfter(track("u", "Future").put("timestamp", "2026-11-23T12:30:01.000Z"));
    assertEquals("2026-11-23T12:00:00.000Z", future.getString("timestamp"));

    JsonObject nearFuture = storedAfter(track("u", "Soon").put("timestamp", "2026-11-23T12:29:59.000Z"));
    assertEquals("2026-11-23T12:29:59.000Z", nearFuture.getString("timestamp"));

    // Corrected by sentAt, an event the client stamped 3 days ago but sent 3 days after is fine.
    JsonObject corrected = storedAfter(track("u", "Offline").put("timestamp", "2026-11-20T12:00:00.000Z")
        .put("sentAt", "2026-11-20T12:10:00.000Z"));
    assertEquals("2026-11-23T11:50:00.000Z", corrected.getString("timestamp"));
  }

  @Test
  void batchSentAtAppliesToItemsUnlessTheyHaveTheirOwn() throws Exception {
    JsonObject body = new JsonObject().put("sentAt", "2026-11-23T08:00:10.000Z").put("batch", new JsonArray()
        .add(track("u", "Inherits").put("type", "track").put("timestamp", "2026-11-23T08:00:00.000Z"))
        .add(track("u", "Own").put("type", "track").put("timestamp", "2026-11-23T08:00:00.000Z")
            .put("sentAt", "2026-11-23T08:00:01.000Z")));
    assertEquals(200, post("/v1/batch", body, WEB_KEY).statusCode());
    List<JsonObject> stored = readLog().stream().map(e -> e.event().payload()).toList();
    assertEquals("2026-11-23T11:59:50.000Z", stored.get(0).getString("timestamp"));
    assertEquals("2026-11-23T08:00:10.000Z", stored.get(0).getString("sentAt"));
    assertEquals("2026-11-23T11:59:59.000Z", stored.get(1).getString("timestamp"));
  }

  @Test
  void nonIsoTimestampsAreRefused() throws Exception {
    for (Object bad : List.of("yesterday", "2026-11-23", "2026-11-23 10:00:00Z", "2026-11-23T10:00:00",
        "2026-13-01T10:00:00Z", 1700000000000L)) {
      JsonObject body = assertError(post("/v1/track", track("u", "E").put("timestamp", bad), WEB_KEY),
          400, "invalid_event");
      assertTrue(body.getString("message").contains("\"timestamp\"") && body.getString("message").contains("ISO-8601"),
          body.getString("message"));
    }
    assertError(post("/v1/track", track("u", "E").put("sentAt", "soon"), WEB_KEY), 400, "invalid_event");
    assertError(post("/v1/track", track("u", "E").put("originalTimestamp", "then"), WEB_KEY), 400, "invalid_event");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void isoVariantsSegmentLibrariesSendAreAccepted() throws Exception {
    for (String good : List.of("2026-11-23T10:00:00Z", "2026-11-23T10:00:00.123456Z", "2026-11-23T11:00:00.000+01:00",
        "2026-11-23T11:00:00.000+0100", "2026-11-23T05:00:00-05", "2026-11-23t10:00:00z")) {
      assertEquals(200, post("/v1/track", track("u", "E").put("timestamp", good), WEB_KEY).statusCode(), good);
    }
  }

  @Test
  void invalidBatchSentAtRefusesTheBatchInvalidItemTimeOnlyTheItem() throws Exception {
    JsonObject badEnvelope = new JsonObject().put("sentAt", "now")
        .put("batch", new JsonArray().add(track("u", "E").put("type", "track")));
    JsonObject body = assertError(post("/v1/batch", badEnvelope, WEB_KEY), 400, "invalid_batch");
    assertTrue(body.getString("message").contains("sentAt"), body.getString("message"));

    JsonObject badItem = new JsonObject().put("batch", new JsonArray()
        .add(track("u", "Bad").put("type", "track").put("timestamp", "noon"))
        .add(track("u", "Good").put("type", "track")));
    JsonObject answer = json(post("/v1/batch", badItem, WEB_KEY));
    assertEquals(1, answer.getInteger("accepted"));
    assertEquals(0, answer.getJsonArray("errors").getJsonObject(0).getInteger("index"));
    assertEquals(List.of("Good"), readLog().stream().map(e -> e.event().payloadString("event")).toList());
  }

  @Test
  void theFastPathAgreesWithTheGeneralParser() {
    java.util.Random random = new java.util.Random(5);
    String[] offsets = {"Z", "z", "+01:00", "-05:30", "+18:00", "+19:00", "+01:60", "+0100", "", "+01"};
    int fast = 0;
    for (int i = 0; i < 50_000; i++) {
      String text = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", random.nextInt(3000), random.nextInt(14),
          random.nextInt(33), random.nextBoolean() ? "T" : (random.nextBoolean() ? "t" : " "), random.nextInt(25),
          random.nextInt(61), random.nextInt(61),
          random.nextBoolean() ? "" : "." + "123456789012".substring(0, random.nextInt(12)),
          offsets[random.nextInt(offsets.length)]);
      Instant common = Timestamps.parseCommon(text);
      Instant general = Timestamps.parseGeneral(text);
      if (common != null) {
        fast++;
        assertEquals(general, common, text);
      } else if (text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)")) {
        // The canonical shape only leaves the fast path when the general parser refuses it too.
        assertEquals(null, general, text);
      }
    }
    assertTrue(fast > 1000, "the fast path took only " + fast);
  }

  @Test
  void skewRuleUnit() {
    Instant received = NOW;
    assertEquals(received.minusSeconds(5), Timestamps.corrected(received, NOW.minusSeconds(3605), NOW.minusSeconds(3600)));
    assertEquals(received, Timestamps.corrected(received, null, NOW));
    assertEquals(received, Timestamps.corrected(received, Instant.parse("-999999999-01-01T00:00:00Z"),
        Instant.parse("+999999999-12-31T23:59:59Z")));
    assertEquals(received, Timestamps.corrected(received, NOW.plus(Duration.ofMinutes(31)), null));
    assertFalse(Timestamps.parse("2026-11-23T10:00:00.000Z") == null);
  }
}
