package dev.herald.destination.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SegmentMessagesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-29T10:00:00.250Z");

  private static Event event(String type, JsonObject payload) {
    return new Event("stored-id", type, type == null ? "crm-updates" : "analytics", "web", "k", RECEIVED,
        payload.toBuffer());
  }

  private static String problem(JsonObject payload) {
    return SegmentMessages.prepare(event(payload.getString("type"), payload)).problem();
  }

  @Test
  void aCompleteMessageWithoutSentAtIsForwardedByteForByte() {
    Event e = event("track", new JsonObject().put("type", "track").put("event", "A").put("userId", "u")
        .put("messageId", "m1").put("timestamp", "2026-11-29T09:00:00.000Z"));
    assertSame(e.payloadBytes(), SegmentMessages.prepare(e).json());
  }

  @Test
  void theClientsSentAtIsDroppedAndNothingElseChanges() {
    JsonObject payload = new JsonObject().put("type", "identify").put("userId", 7).put("messageId", "m2")
        .put("timestamp", "2026-11-29T09:00:00.000Z").put("sentAt", "2026-11-29T09:00:01.000Z")
        .put("traits", new JsonObject().put("plan", "pro")).put("integrations", new JsonObject().put("All", false));
    JsonObject sent = SegmentMessages.prepare(event("identify", payload)).json().toJsonObject();
    payload.remove("sentAt");
    assertEquals(payload, sent);
  }

  @Test
  void aMessageWithoutIdOrTimestampGetsTheStoredEventsIdAndReceiptTime() {
    JsonObject sent = SegmentMessages.prepare(event(null, new JsonObject().put("type", "identify").put("userId", "c-1")))
        .json().toJsonObject();
    assertEquals("stored-id", sent.getString("messageId"));
    assertEquals("2026-11-29T10:00:00.250Z", sent.getString("timestamp"));
  }

  @Test
  void messagesSegmentWouldDropAreRefusedWithTheReason() {
    assertEquals("a track call needs a userId or an anonymousId", problem(new JsonObject().put("type", "track").put("event", "A")));
    assertEquals("a track call needs 'event'", problem(new JsonObject().put("type", "track").put("userId", "u")));
    assertEquals("a group call needs 'groupId'", problem(new JsonObject().put("type", "group").put("userId", "u")));
    assertEquals("an alias call needs 'previousId'", problem(new JsonObject().put("type", "alias").put("userId", "u")));
    assertEquals("'type' must be one of alias, group, identify, page, screen, track, not 'order'",
        problem(new JsonObject().put("type", "order").put("userId", "u")));
    assertEquals("'messageId' must be a string of 1 to 99 characters",
        problem(new JsonObject().put("type", "page").put("userId", "u").put("messageId", 12)));
    assertNull(problem(new JsonObject().put("type", "page").put("anonymousId", "a")));
  }

  @Test
  void anEventOverThirtyTwoKilobytesIsRefused() {
    JsonObject big = new JsonObject().put("type", "track").put("event", "A").put("userId", "u")
        .put("properties", new JsonObject().put("pad", "x".repeat(33_000)));
    assertEquals(true, problem(big).contains("over the 32768 bytes"));
  }
}
