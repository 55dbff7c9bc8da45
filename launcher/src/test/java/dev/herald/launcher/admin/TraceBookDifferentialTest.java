package dev.herald.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring-of-arrays trace book answers every trace as the map-of-records book it replaced did, over
 * seeded random reads, deliveries, retries and dead letters of ids that come back after aging out.
 * Times of day differ by design (millis, not micros), so they are compared as present or absent.
 */
class TraceBookDifferentialTest {

  private static final List<String> DESTINATIONS = List.of("d1", "d2", "d3");

  @Test
  void theRingBookTracesEveryEventAsTheMapBookDidOverRandomJourneys() {
    Random random = new Random(13);
    Instant received = Instant.now().minusSeconds(3600);
    for (int round = 0; round < 200; round++) {
      int window = 1 + random.nextInt(round < 100 ? 4 : 90);
      int ids = 1 + random.nextInt(window * 3);
      TraceBook book = new TraceBook(window);
      LinkedTraceBook reference = new LinkedTraceBook(window);
      for (int op = 0; op < 400; op++) {
        String id = "m" + random.nextInt(ids);
        String d = DESTINATIONS.get(random.nextInt(2)); // d3 never reads: "not read yet" or aged out
        switch (random.nextInt(4)) {
          case 0 -> {
            Event e = new Event(new String(id), "track", "analytics", "web", "u", received.plusMillis(op), Buffer.buffer("{}"));
            boolean passed = random.nextBoolean();
            book.read(d, e, op % 3, op, passed);
            reference.read(d, e, op % 3, op, passed);
          }
          case 1 -> {
            book.delivered(d, id, op, 1 + op % 3);
            reference.delivered(d, id, op, 1 + op % 3);
          }
          case 2 -> {
            Instant next = received.plusSeconds(op);
            book.retrying(d, id, op, 2, "HTTP 503", 503, next);
            reference.retrying(d, id, op, 2, "HTTP 503", 503, next);
          }
          default -> {
            book.deadLettered(d, id, op, 3, "HTTP 400", 400);
            reference.deadLettered(d, id, op, 3, "HTTP 400", 400);
          }
        }
        String probe = "m" + random.nextInt(ids + 2);
        assertEquals(timeless(reference.trace(probe, DESTINATIONS)), timeless(book.trace(probe, DESTINATIONS)),
            "window " + window + ", op " + op + ", " + probe);
      }
      for (String d : DESTINATIONS) assertEquals(reference.lastFailureAt(d) == null, book.lastFailureAt(d) == null);
    }
  }

  /** The trace with each time of day replaced by whether it is there. */
  private static JsonObject timeless(JsonObject trace) {
    if (trace == null) return null;
    JsonObject t = trace.copy();
    JsonObject window = t.getJsonObject("window");
    window.put("acceptedCoveredSince", window.getValue("acceptedCoveredSince") != null);
    for (Object o : t.getJsonArray("destinations", new JsonArray())) {
      JsonObject d = (JsonObject) o;
      if (d.containsKey("at")) d.put("at", d.getValue("at") != null);
      String note = d.getString("note");
      if (note != null && note.contains(" (")) d.put("note", note.substring(0, note.indexOf(" (")) + " (since)");
    }
    return t;
  }
}
