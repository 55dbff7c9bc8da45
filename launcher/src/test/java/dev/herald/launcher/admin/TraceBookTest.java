package dev.herald.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceBookTest {

  private static Event event(String id, Instant at) {
    return new Event(id, "track", "analytics", "web", "u1", at, Buffer.buffer("{}"));
  }

  @Test
  void theWindowForgetsTheOldestEventsAndSaysSo() {
    TraceBook book = new TraceBook(2);
    Instant start = Instant.now().minusSeconds(60);
    // A window of 2 events keeps its destination's last 4 changes: a's read and delivery go with the
    // 5th and 6th; where a was accepted goes with the 3rd event read.
    book.read("d", event("a", start), 0, 0, true, System.currentTimeMillis());
    book.delivered("d", "a", 1, 1, System.currentTimeMillis());
    book.read("d", event("b", start), 0, 1, false, System.currentTimeMillis());
    book.read("d", event("c", start.plusSeconds(1)), 0, 2, true, System.currentTimeMillis());
    book.retrying("d", "c", 2, 1, "HTTP 503", 503, Instant.now());
    book.delivered("d", "c", 3, 2, System.currentTimeMillis());

    assertNull(book.trace("a", List.of("d")), "the oldest event aged out of both windows");
    JsonObject b = book.trace("b", List.of("d", "other"));
    assertEquals("filtered", b.getJsonArray("destinations").getJsonObject(0).getString("state"));
    // Another destination read nothing of it yet, and forgot nothing: not read yet.
    assertEquals("pending", b.getJsonArray("destinations").getJsonObject(1).getString("state"));
    assertEquals(1L, b.getJsonObject("accepted").getLong("offset"));
  }

  @Test
  void anEventOlderThanADestinationsWindowIsUnknownThere() {
    TraceBook book = new TraceBook(1);
    Instant old = Instant.now().minusSeconds(60);
    book.read("d", event("x", old), 0, 0, true, System.currentTimeMillis());
    book.read("e", event("x", old), 0, 0, true, System.currentTimeMillis());
    book.retrying("e", "x", 3, 2, "HTTP 503", 503, Instant.now().plusSeconds(5));
    book.read("d", event("y", Instant.now()), 0, 1, true, System.currentTimeMillis());
    book.read("d", event("z", Instant.now()), 0, 2, true, System.currentTimeMillis()); // d's last 2 changes: it forgets x

    JsonObject x = book.trace("x", List.of("d", "e"));
    assertEquals("unknown", x.getJsonArray("destinations").getJsonObject(0).getString("state"));
    JsonObject e = x.getJsonArray("destinations").getJsonObject(1);
    assertEquals(List.of("pending", 2, 503, 3L), List.of(e.getString("state"), e.getInteger("attempts"),
        e.getInteger("status"), e.getLong("request")));
  }

  @Test
  void deliveriesLaggingFurtherThanTheWindowBehindReadsAreTracedOrUnknownNeverWrong() {
    int window = 100, lag = 150, events = 1000;
    TraceBook book = new TraceBook(window);
    DeliveryObserver http = book.forDestination("http"); // as a runner feeds it
    DeliveryObserver file = book.forDestination("file");
    Instant received = Instant.now().minusSeconds(60);
    for (int i = 0; i < events; i++) {
      Event e = event("bench-" + i, received);
      http.read("http", e, 0, i, true, System.currentTimeMillis());
      file.read("file", e, 0, i, true, System.currentTimeMillis());
      file.delivered("file", e.messageId(), i + 1, 1, System.currentTimeMillis());
      if (i >= lag) http.delivered("http", "bench-" + (i - lag), i - lag + 1, 1, System.currentTimeMillis());
    }
    int pending = 0, delivered = 0, unknown = 0;
    for (int i = 0; i < events; i++) {
      JsonObject trace = book.trace("bench-" + i, List.of("http", "file"));
      boolean acceptedKnown = i >= events - window;
      assertEquals(acceptedKnown, trace != null && trace.getValue("accepted") != null, "bench-" + i);
      // Nothing remembers it (404) is unknown too.
      JsonObject h = trace == null ? new JsonObject().put("state", "unknown").put("note", "remembers events since")
          : trace.getJsonArray("destinations").getJsonObject(0);
      String state = h.getString("state");
      if (i >= events - lag) {
        // Read, not delivered yet: its read is among http's last 2 × window changes, or forgotten.
        assertEquals(i >= events - window ? "pending" : "unknown", state, "bench-" + i);
      } else {
        // Delivered: among the last 2 × window changes (as its delivery is) or forgotten, never pending.
        assertEquals(i >= events - lag - window ? "delivered" : "unknown", state, "bench-" + i);
      }
      if (state.equals("delivered")) assertEquals(i + 1L, h.getLong("request"), "bench-" + i);
      if (state.equals("unknown")) assertTrue(h.getString("note").contains("remembers events since"), "bench-" + i);
      if (state.equals("pending")) assertNull(h.getValue("note"), "a read event is pending, not 'not read yet'");
      pending += state.equals("pending") ? 1 : 0;
      delivered += state.equals("delivered") ? 1 : 0;
      unknown += state.equals("unknown") ? 1 : 0;
    }
    assertEquals(List.of(window, window, events - 2 * window), List.of(pending, delivered, unknown));
  }
}
