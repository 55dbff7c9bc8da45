package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Segment's official Java client (analytics-java) against Herald: it posts to
 * {@code /v1/import/} with the write key only in the body.
 */
class SegmentJavaClientTest extends IngestTestBase {

  @Test
  void everyTrackCallArrivesInTheLog() throws Exception {
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
    try {
      for (int i = 0; i < 100; i++) {
        analytics.enqueue(TrackMessage.builder("Order Completed")
            .userId("user-" + (i % 7))
            .properties(Map.of("order", i, "total", 9.99)));
      }
      analytics.flush();

      List<LogEntry> entries = awaitLogSize(100);
      assertEquals(100, entries.size(), () -> "failures: " + failed);
      assertTrue(failed.isEmpty(), () -> "failures: " + failed);

      Set<String> stored = new HashSet<>();
      for (LogEntry entry : entries) {
        Event event = entry.event();
        stored.add(event.messageId());
        assertEquals("track", event.type());
        assertEquals("web", event.sourceId());
        assertTrue(event.partitionKey().startsWith("user-"));
        var payload = event.payload();
        assertEquals("Order Completed", payload.getString("event"));
        assertEquals("analytics-java", payload.getJsonObject("context").getJsonObject("library").getString("name"));
        assertTrue(payload.containsKey("receivedAt") && payload.containsKey("sentAt"), payload::encode);
      }
      assertEquals(100, stored.size());
      awaitCondition(() -> sent.size() == 100);
      assertEquals(sent, stored);
    } finally {
      analytics.shutdown();
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertTrue(condition.getAsBoolean(), "condition not met before the deadline");
  }
}
