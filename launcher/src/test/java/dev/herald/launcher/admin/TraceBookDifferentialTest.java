package dev.herald.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The append-only trace book answers every trace as the map-of-records book does when that one
 * forgets nothing (the truth), over seeded random journeys: destinations read a log forward at their
 * own pace and sometimes rewind (so events come back after aging out), and deliver, retry and
 * dead-letter events they read, long after, or never read. Every destination's answer is the
 * truth or {@code unknown}, never another state; it is the truth whenever the event's latest change
 * is among the destination's last 2 × window changes; where it was accepted is the truth, and known
 * whenever the event is among the last window log positions read. Times of day differ by design
 * (millis, not micros), so they are compared as present or absent.
 */
class TraceBookDifferentialTest {

  private static final List<String> DESTINATIONS = List.of("d1", "d2", "d3");

  @Test
  void theAppendOnlyBookTracesEveryEventAsTheBookThatForgetsNothingOrSaysUnknown() {
    Random random = new Random(13);
    Instant received = Instant.now().minusSeconds(3600);
    int unknowns = 0, knowns = 0;
    for (int round = 0; round < 200; round++) {
      int window = 1 + random.nextInt(round < 100 ? 4 : 90);
      int length = 1 + random.nextInt(window * 3);
      TraceBook book = new TraceBook(window);
      LinkedTraceBook truth = new LinkedTraceBook(Integer.MAX_VALUE);
      Map<String, Integer> cursor = new HashMap<>();
      Map<String, Integer> changes = new HashMap<>(); // per destination, how many so far
      Map<String, Integer> lastChange = new HashMap<>(); // "d/id": the number of its latest change
      int furthestRead = -1;
      for (int op = 0; op < 400; op++) {
        String d = DESTINATIONS.get(random.nextInt(2)); // d3 never reads: "not read yet" or aged out
        int kind = random.nextInt(4);
        int p;
        if (kind == 0) {
          p = cursor.getOrDefault(d, 0);
          if (p >= length) continue;
          cursor.put(d, random.nextInt(8) == 0 ? random.nextInt(p + 1) : p + 1); // sometimes rewinds
          furthestRead = Math.max(furthestRead, p);
        } else {
          // Mostly an event it read, sometimes any (a replayed dead letter is not read from the log).
          int bound = random.nextInt(10) == 0 ? length : cursor.getOrDefault(d, 0);
          if (bound == 0) continue;
          p = random.nextInt(bound);
        }
        String id = "m" + p;
        switch (kind) {
          case 0 -> {
            Event e = new Event(new String(id), "track", "analytics", "web", "u", received.plusMillis(p), Buffer.buffer("{}"));
            boolean passed = random.nextBoolean();
            book.read(d, e, p % 3, p / 3, passed, System.currentTimeMillis());
            truth.read(d, e, p % 3, p / 3, passed, System.currentTimeMillis());
          }
          case 1 -> {
            book.delivered(d, id, op, 1 + op % 3, System.currentTimeMillis());
            truth.delivered(d, id, op, 1 + op % 3, System.currentTimeMillis());
          }
          case 2 -> {
            Instant next = received.plusSeconds(op);
            book.retrying(d, id, op, 2, "HTTP 503", 503, next);
            truth.retrying(d, id, op, 2, "HTTP 503", 503, next);
          }
          default -> {
            book.deadLettered(d, id, op, 3, "HTTP 400", 400);
            truth.deadLettered(d, id, op, 3, "HTTP 400", 400);
          }
        }
        int n = changes.merge(d, 1, Integer::sum);
        lastChange.put(d + "/" + id, n);

        int probe = random.nextInt(length + 2);
        String probeId = "m" + probe;
        String where = "window " + window + ", op " + op + ", " + probeId;
        JsonObject expected = timeless(truth.trace(probeId, DESTINATIONS));
        JsonObject actual = timeless(book.trace(probeId, DESTINATIONS));
        boolean acceptedCovered = probe <= furthestRead && probe > furthestRead - window;
        if (expected == null) {
          assertNull(actual, where);
          continue;
        }
        if (acceptedCovered) assertNotNull(actual, where);
        if (actual == null) {
          for (String dest : DESTINATIONS) {
            Integer last = lastChange.get(dest + "/" + probeId);
            assertNull(last == null || last <= changes.get(dest) - 2 * window ? null : last, where + " at " + dest);
          }
          continue;
        }
        assertEquals(furthestRead + 1 > window, actual.getJsonObject("window").getBoolean("acceptedCoveredSince"), where);
        if (acceptedCovered || actual.getValue("accepted") != null) {
          assertEquals(expected.getValue("accepted"), actual.getValue("accepted"), where);
        }
        for (int i = 0; i < DESTINATIONS.size(); i++) {
          String dest = DESTINATIONS.get(i);
          JsonObject e = expected.getJsonArray("destinations").getJsonObject(i);
          JsonObject a = actual.getJsonArray("destinations").getJsonObject(i);
          Integer last = lastChange.get(dest + "/" + probeId);
          boolean covered = last != null && last > changes.get(dest) - 2 * window;
          boolean evicted = changes.getOrDefault(dest, 0) > 2 * window;
          if ("unknown".equals(a.getString("state"))) {
            unknowns++;
            assertEquals(false, covered, where + " at " + dest + ": its latest change is in the window");
            assertNotEquals(null, a.getString("note"), where);
            assertEquals(evicted, a.getString("note").endsWith("(since)"), where + " at " + dest);
          } else {
            knowns++;
            assertEquals(e, a, where + " at " + dest);
          }
        }
      }
      for (String d : DESTINATIONS) assertEquals(truth.lastFailureAt(d) == null, book.lastFailureAt(d) == null);
    }
    // The journeys age events out and keep others: both answers are checked often.
    assertEquals(true, unknowns > 1000 && knowns > 1000, unknowns + " unknown, " + knowns + " known");
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
