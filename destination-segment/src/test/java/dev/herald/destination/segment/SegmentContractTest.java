package dev.herald.destination.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.DeadLetterSnapshot;
import dev.herald.destination.testkit.DestinationHarness;
import dev.herald.destination.testkit.Reply;
import dev.herald.destination.testkit.RunnerSnapshot;
import dev.herald.destination.testkit.RunningDestination;
import dev.herald.destination.testkit.ScriptedServer;
import dev.herald.destination.testkit.TestEvents;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The segment destination inside Herald's real runner, against a server playing Segment's Tracking API. */
class SegmentContractTest {

  private static final String WRITE_KEY = "wk-segment-contract-7f3";

  private static JsonObject config(String endpoint) {
    return new JsonObject().put("endpoint", endpoint).put("writeKey", WRITE_KEY).put("timeoutMs", 3_000);
  }

  @Test
  void keepsTheHttpDestinationContract() {
    DestinationHarness.of(new SegmentDestinationFactory()).config(server -> config(server.url())).checkHttpContract();
  }

  @Test
  void everyEventArrivesOnceAsStoredInRequestsWithinSegmentsBounds() {
    Random random = new Random(42);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      // Sizes from tiny to 3 KB, so requests are cut by bytes as well as by count.
      JsonObject properties = new JsonObject().put("pad", "x".repeat(random.nextInt(i % 3 == 0 ? 3_000 : 60)));
      Event base = TestEvents.track("user-" + (i % 11), "Order Completed", i, properties);
      JsonObject payload = base.payload().put("timestamp", "2026-11-29T10:00:00.123Z").put("sentAt", "2026-11-29T10:00:01Z")
          .put("context", new JsonObject().put("ip", "203.0.113.0").put("library", new JsonObject().put("name", "t")))
          .put("integrations", new JsonObject().put("All", true));
      events.add(base.withPayload(payload));
    }
    try (SegmentApiServer segment = SegmentApiServer.start(WRITE_KEY);
        RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory()).config(config(segment.url()))
            .delivery(d -> d.batchEvents(100_000).lanes(2)).start()) {
      Instant before = Instant.now().minusSeconds(1);
      run.append(events).awaitSettled();

      assertEquals(List.of(), segment.refusals(), "Segment refused requests");
      Map<String, JsonObject> arrived = new HashMap<>();
      List<String> repeated = new ArrayList<>();
      boolean cutByBytes = false;
      for (SegmentApiServer.Batch batch : segment.batches()) {
        assertTrue(batch.bodyBytes() <= 500 * 1024 && batch.events().size() <= 2_500, batch.bodyBytes() + " bytes");
        cutByBytes |= batch.events().size() < 2_500 && batch.bodyBytes() > 400 * 1024;
        assertFalse(batch.sentAt().isBefore(before), "sentAt is the time of sending: " + batch.sentAt());
        for (JsonObject e : batch.events()) {
          if (arrived.put(e.getString("messageId"), e) != null) repeated.add(e.getString("messageId"));
        }
      }
      assertTrue(cutByBytes, "some requests were cut by their size, not only their count");
      assertEquals(List.of(), repeated);
      assertEquals(events.size(), arrived.size());
      for (Event e : events) {
        JsonObject stored = e.payload();
        stored.remove("sentAt"); // the request's sentAt replaces the client's
        assertEquals(stored, arrived.get(e.messageId()), "forwarded as stored");
      }
      assertEquals(6_000, run.status().delivered());
    }
  }

  @Test
  void gzippedRequestsCarryTheSameEvents() {
    List<Event> events = TestEvents.tracks(300, 5);
    try (SegmentApiServer segment = SegmentApiServer.start(WRITE_KEY);
        RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
            .config(config(segment.url()).put("gzip", true)).start()) {
      run.append(events).awaitSettled();
      assertEquals(List.of(), segment.refusals());
      assertTrue(segment.batches().stream().allMatch(SegmentApiServer.Batch::gzipped));
      assertEquals(events.stream().map(Event::messageId).toList(), segment.batches().stream()
          .flatMap(b -> b.events().stream()).map(e -> e.getString("messageId")).toList());
    }
  }

  @Test
  void aRefusedWriteKeyIsASetupErrorThatParksTheDestinationAndNeverShowsTheKey() {
    try (SegmentApiServer segment = SegmentApiServer.start("another-key");
        RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory()).config(config(segment.url()))
            .delivery(d -> d.breaker(1_000, Duration.ofMinutes(10))).start()) {
      run.append(TestEvents.tracks(20, 3));
      Await.until(Duration.ofSeconds(30), () -> "parked: " + run.status(), () -> "OPEN".equals(run.status().breaker()));
      RunnerSnapshot status = run.status();
      assertTrue(status.lastError().contains("HTTP 401 from " + segment.url() + ": the write key was refused"),
          status.lastError());
      assertTrue(status.lastError().contains("Invalid write key"), "the receiver's message: " + status.lastError());
      assertEquals(0, status.delivered());
      assertFalse(status.toString().contains(WRITE_KEY));
      run.deadLetters().forEach(l -> assertFalse(l.json().contains(WRITE_KEY), l.json()));
    }
  }

  @Test
  void a400IsRejectedWithTheServersMessage() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).start()) {
      run.server().script(Reply.status(400, "{\"success\":false,\"message\":\"batch item 0 is missing userId\"}"));
      run.append(TestEvents.track("u1", "Signed Up", 1)).awaitSettled();
      DeadLetterSnapshot letter = run.deadLetters().get(0);
      assertEquals(400, letter.status());
      assertTrue(letter.reason().endsWith(": batch item 0 is missing userId"), letter.reason());
    }
  }

  @Test
  void a429IsRetriedNoSoonerThanItsRetryAfter() {
    // Herald honours a Retry-After up to maxBackoff: give it room for the 2 s asked.
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url()))
        .delivery(d -> d.backoff(Duration.ofMillis(5), Duration.ofSeconds(10))).start()) {
      run.server().script(Reply.status(429).header("Retry-After", "2"));
      run.append(TestEvents.track("u1", "Signed Up", 1)).awaitSettled();
      List<ScriptedServer.Request> requests = run.server().requests();
      assertEquals(2, requests.size(), requests.toString());
      long waited = requests.get(1).receivedAtNanos() - requests.get(0).answeredAtNanos();
      assertTrue(waited >= Duration.ofMillis(1_900).toNanos(), "retried after " + waited / 1_000_000 + " ms");
      assertEquals(1, run.status().delivered());
    }
  }

  @Test
  void a413SplitsTheRequestInHalvesAndSendsBoth() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).delivery(d -> d.batchEvents(8).lingerMs(500)).start()) {
      run.server().script(Reply.status(413), Reply.status(200), Reply.status(413), Reply.status(200), Reply.status(200));
      run.append(TestEvents.tracks(8, 1)).awaitSettled();
      List<Integer> sizes = run.server().requests().stream()
          .map(r -> new JsonObject(r.body()).getJsonArray("batch").size()).toList();
      assertEquals(List.of(8, 4, 4, 2, 2), sizes);
      assertEquals(8, run.status().delivered());
      assertEquals(0, run.status().deadLettered());
    }
  }

  @Test
  void afterASetupErrorTheRestOfTheSendIsNotSentButKeptForAfterTheFix() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).delivery(d -> d.batchEvents(4).lingerMs(500)
            .breaker(1_000, Duration.ofMinutes(10))).start()) {
      run.server().script(Reply.status(413), Reply.status(401, "{\"message\":\"Invalid write key\"}"));
      run.append(TestEvents.tracks(4, 1));
      Await.until(Duration.ofSeconds(30), () -> "parked: " + run.status(), () -> "OPEN".equals(run.status().breaker()));
      List<Integer> sizes = run.server().requests().stream()
          .map(r -> new JsonObject(r.body()).getJsonArray("batch").size()).toList();
      assertEquals(List.of(4, 2), sizes, "the second half waits for the fix");
      assertTrue(run.deadLetters().stream().noneMatch(l -> l.messageId().equals("user-0-2") || l.messageId().equals("user-0-3")),
          run.deadLetters().toString());
      assertTrue(run.status().lag() >= 2, run.status().toString());
    }
  }

  @Test
  void itemsAHeraldReceiverListsAsRefusedInIts200AreDeadLetteredAndTheOthersDelivered() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).delivery(d -> d.batchEvents(3).lingerMs(500)).start()) {
      run.server().script(Reply.json(200, new JsonObject().put("success", true).put("accepted", 2).put("rejected", 1)
          .put("errors", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 1)
              .put("messageId", "u-1").put("code", "invalid_event").put("message", "\"event\" must be a string")))));
      run.append(TestEvents.tracks(3, 1)).awaitSettled();
      assertEquals(2, run.status().delivered());
      List<DeadLetterSnapshot> letters = run.deadLetters();
      assertEquals(1, letters.size());
      assertEquals("user-0-1", letters.get(0).messageId());
      assertTrue(letters.get(0).reason().contains("invalid_event: \"event\" must be a string"), letters.get(0).reason());
    }
  }

  @Test
  void aRawRecordWithoutATransformIsRejectedAsNotASegmentEvent() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).topics("crm-updates").start()) {
      run.append(TestEvents.raw("crm-updates", "crm-1", new JsonObject().put("contactId", 7))).awaitSettled();
      DeadLetterSnapshot letter = run.deadLetters().get(0);
      assertTrue(letter.reason().startsWith("a raw record of topic 'crm-updates' is not a Segment event"), letter.reason());
      assertEquals(List.of(), run.server().requests(), "nothing sent");
    }
  }

  @Test
  void aShapedRawRecordGetsItsStoredMessageIdAndReceiptTime() {
    try (RunningDestination run = DestinationHarness.of(new SegmentDestinationFactory())
        .config(server -> config(server.url())).topics("crm-updates").start()) {
      Event record = TestEvents.raw("crm-updates", "crm-2", new JsonObject().put("type", "identify")
          .put("userId", "contact-7").put("traits", new JsonObject().put("email", "a@example.com")));
      run.append(record).awaitSettled();
      JsonObject sent = new JsonObject(run.server().requests().get(0).body()).getJsonArray("batch").getJsonObject(0);
      assertEquals("crm-2", sent.getString("messageId"));
      assertEquals(record.receivedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
          Instant.parse(sent.getString("timestamp")).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      assertNotNull(sent.getJsonObject("traits"));
    }
  }
}
