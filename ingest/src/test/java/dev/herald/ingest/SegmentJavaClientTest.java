package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.MessageBuilder;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.herald.bus.log.LogEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK matrix's Java entry: Segment's official Java client (analytics-java) against Herald.
 * It posts to {@code /v1/import/} with the write key only in the body; every call of every type
 * arrives exactly once with its fields.
 */
class SegmentJavaClientTest extends IngestTestBase {

  @Test
  void everyCallOfEveryTypeArrivesInTheLogOnce() throws Exception {
    Set<String> sent = ConcurrentHashMap.newKeySet();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    Analytics analytics = Analytics.builder(WEB_KEY)
        .endpoint("http://127.0.0.1:" + port)
        .flushInterval(1, TimeUnit.HOURS)
        .callback(new Callback() {
          @Override
          public void success(Message message) {
            sent.add(message.messageId());
          }

          @Override
          public void failure(Message message, Throwable throwable) {
            failed.add(message.messageId() + ": " + throwable);
          }
        })
        .build();
    JsonArray calls = SdkCalls.of("java", 0, 120, SdkCalls.ALL_TYPES);
    try {
      for (int i = 0; i < calls.size(); i++) {
        analytics.enqueue(message(calls.getJsonObject(i)));
      }
      analytics.flush();

      List<LogEntry> entries = awaitLogSize(calls.size());
      assertEquals(List.of(), SdkCalls.problems(calls, entries, true), () -> "failures: " + failed);
      assertEquals(calls.size(), entries.size());
      for (LogEntry entry : entries) {
        JsonObject payload = entry.event().payload();
        assertEquals("analytics-java", payload.getJsonObject("context").getJsonObject("library").getString("name"));
        assertTrue(payload.containsKey("receivedAt") && payload.containsKey("sentAt"), payload::encode);
      }
      awaitCondition(() -> sent.size() == calls.size());
      assertTrue(failed.isEmpty(), () -> "failures: " + failed);
      assertEquals(sent, SdkCalls.messageIds(calls, entries));
    } finally {
      analytics.shutdown();
    }
  }

  /** The client's own builder for one call of the matrix. */
  private static MessageBuilder<?, ?> message(JsonObject call) {
    String userId = call.getString("userId");
    return switch (call.getString("type")) {
      case "track" -> TrackMessage.builder(call.getString("event")).userId(userId)
          .properties(call.getJsonObject("properties").getMap());
      case "identify" -> IdentifyMessage.builder().userId(userId).traits(call.getJsonObject("traits").getMap());
      case "page" -> PageMessage.builder(call.getString("name")).userId(userId)
          .properties(call.getJsonObject("properties").getMap());
      case "screen" -> ScreenMessage.builder(call.getString("name")).userId(userId)
          .properties(call.getJsonObject("properties").getMap());
      case "group" -> GroupMessage.builder(call.getString("groupId")).userId(userId)
          .traits(call.getJsonObject("traits").getMap());
      case "alias" -> AliasMessage.builder(call.getString("previousId")).userId(userId);
      default -> throw new IllegalArgumentException(call.encode());
    };
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertTrue(condition.getAsBoolean(), "condition not met before the deadline");
  }
}
