package dev.herald.destination.testkit;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events as Herald's ingest stores them, for tests. */
public final class TestEvents {

  private TestEvents() {}

  /** A Segment track call of {@code userId} named {@code name}, messageId {@code <userId>-<seq>}. */
  public static Event track(String userId, String name, int seq) {
    return track(userId, name, seq, new JsonObject());
  }

  /** The same with more properties ({@code seq} is added to them). */
  public static Event track(String userId, String name, int seq, JsonObject properties) {
    String messageId = userId + "-" + seq;
    JsonObject payload = new JsonObject().put("type", "track").put("event", name).put("userId", userId)
        .put("messageId", messageId).put("properties", properties.copy().put("seq", seq));
    return new Event(messageId, "track", "analytics", "web", userId, Instant.now(), payload.toBuffer());
  }

  /** {@code count} track events spread over {@code users} users ({@code user-0} …), seq 0 … count-1. */
  public static List<Event> tracks(int count, int users) {
    List<Event> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(track("user-" + (i % users), "Order Completed", i));
    return out;
  }

  /** A raw record on {@code topic}, keyed by its messageId. */
  public static Event raw(String topic, String messageId, JsonObject payload) {
    return new Event(messageId, null, topic, "svc", messageId, Instant.now(), payload.toBuffer());
  }
}
