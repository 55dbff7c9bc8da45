package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /v1/batch} and {@code /v1/import}: per-item outcomes, envelope merging, the live tap. */
class BatchTest extends IngestTestBase {

  private static final String SENT_AT = "2026-11-23T10:00:00.000Z";

  static JsonObject envelope(JsonObject... items) {
    JsonArray batch = new JsonArray();
    for (JsonObject item : items) {
      batch.add(item);
    }
    return new JsonObject().put("batch", batch).put("sentAt", SENT_AT)
        .put("context", new JsonObject().put("library", new JsonObject().put("name", "herald-test"))
            .put("locale", "en-GB"));
  }

  @Test
  void validBatchIsStoredInOrderAndNormalized() throws Exception {
    JsonObject body = envelope(
        track("user-1", "Viewed").put("type", "track").put("context", new JsonObject().put("locale", "fr-FR")),
        new JsonObject().put("type", "identify").put("anonymousId", "anon-2").put("messageId", "mid-2"),
        new JsonObject().put("type", "page").put("userId", "user-3").put("name", "Home")
            .put("sentAt", "2026-11-23T09:59:59.000Z"));
    HttpResponse<Buffer> response = post("/v1/batch", body, WEB_KEY);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(new JsonObject().put("success", true).put("accepted", 3).put("rejected", 0).put("duplicates", 0)
        .put("errors", new JsonArray()), json(response));

    List<Event> events = readLog().stream().map(LogEntry::event).toList();
    assertEquals(List.of("track", "identify", "page"), events.stream().map(Event::type).toList());
    assertEquals(List.of("user-1", "anon-2", "user-3"), events.stream().map(Event::partitionKey).toList());
    UUID.fromString(events.get(0).messageId());
    assertEquals("mid-2", events.get(1).messageId());
    assertNotEquals(events.get(0).messageId(), events.get(2).messageId());

    JsonObject first = events.get(0).payload();
    assertEquals(events.get(0).messageId(), first.getString("messageId"));
    assertEquals(events.get(0).receivedAt(), Instant.parse(first.getString("receivedAt")));
    assertEquals(SENT_AT, first.getString("sentAt"));
    // The batch's context goes under the item's own: the item's locale wins.
    assertEquals("fr-FR", first.getJsonObject("context").getString("locale"));
    assertEquals("herald-test", first.getJsonObject("context").getJsonObject("library").getString("name"));
    assertEquals("en-GB", events.get(1).payload().getJsonObject("context").getString("locale"));
    assertEquals("2026-11-23T09:59:59.000Z", events.get(2).payload().getString("sentAt"));
    assertTrue(events.stream().allMatch(e -> e.sourceId().equals("web") && e.topic().equals("analytics")));
  }

  @Test
  void invalidItemsAreReportedAndOnlyValidOnesStored() throws Exception {
    JsonObject body = envelope(
        track("user-1", "Ok 1").put("type", "track"),
        new JsonObject().put("type", "track").put("event", "No one").put("messageId", "orphan-1"),
        new JsonObject().put("userId", "user-3").put("event", "Untyped"),
        track("user-4", "Ok 2").put("type", "track"),
        new JsonObject().put("type", "launch").put("userId", "u"));
    HttpResponse<Buffer> response = post("/v1/batch", body, WEB_KEY);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject answer = json(response);
    assertEquals(true, answer.getBoolean("success"));
    assertEquals(2, answer.getInteger("accepted"));
    assertEquals(3, answer.getInteger("rejected"));
    JsonArray errors = answer.getJsonArray("errors");
    assertEquals(List.of(1, 2, 4), errors.stream().map(e -> ((JsonObject) e).getInteger("index")).toList());
    assertEquals("orphan-1", errors.getJsonObject(0).getString("messageId"));
    assertTrue(errors.stream().allMatch(e -> ((JsonObject) e).getString("code").equals("invalid_event")));
    assertTrue(errors.getJsonObject(0).getString("message").contains("userId"));
    assertTrue(errors.getJsonObject(1).getString("message").contains("\"type\" is required"));
    assertTrue(errors.getJsonObject(2).getString("message").contains("'launch'"));

    assertEquals(List.of("Ok 1", "Ok 2"), readLog().stream().map(e -> e.event().payloadString("event")).toList());
  }

  @Test
  void batchWithNothingValidIs400WithEveryReason() throws Exception {
    JsonObject body = envelope(new JsonObject().put("type", "track").put("userId", "u"), new JsonObject().put("type", "track"));
    JsonObject answer = assertError(post("/v1/batch", body, WEB_KEY), 400, "invalid_event");
    assertEquals(0, answer.getInteger("accepted"));
    assertEquals(2, answer.getInteger("rejected"));
    assertEquals(2, answer.getJsonArray("errors").size());
    assertTrue(readLog().isEmpty());
  }

  @Test
  void itemOverMaxEventBytesIsRejectedAlone() throws Exception {
    JsonObject big = track("u", "Big").put("type", "track").put("messageId", "big-1")
        .put("properties", new JsonObject().put("blob", "x".repeat(33_000)));
    JsonObject answer = json(post("/v1/batch", envelope(big, track("u", "Small").put("type", "track")), WEB_KEY));
    assertEquals(1, answer.getInteger("accepted"));
    JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
    assertEquals(0, error.getInteger("index"));
    assertEquals("big-1", error.getString("messageId"));
    assertEquals("event_too_large", error.getString("code"));
    assertTrue(error.getString("message").contains("maxEventBytes (32768 bytes)"), error.getString("message"));
    assertEquals(List.of("Small"), readLog().stream().map(e -> e.event().payloadString("event")).toList());
  }

  @Test
  void itemSizeIsMeasuredAsSent() {
    String item = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"é\"}";
    String body = "{\"batch\":[ " + item + " ,\n" + item + "]}";
    PayloadParser.Batch batch = new PayloadParser(10).parseBatch(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    int expected = item.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertEquals(List.of(expected, expected), batch.items().stream().map(PayloadParser.BatchItem::sizeBytes).toList());
  }

  @Test
  void importWithTrailingSlashAndKeyOnlyInTheBody() throws Exception {
    for (String path : List.of("/v1/import/", "/v1/import", "/v1/batch/")) {
      JsonObject body = envelope(track("u", path).put("type", "track")).put("writeKey", WEB_KEY);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json; charset=utf-8");
      HttpResponse<Buffer> response = post(path, body.toBuffer(), headers);
      assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    }
    List<Event> events = readLog().stream().map(LogEntry::event).toList();
    assertEquals(List.of("/v1/import/", "/v1/import", "/v1/batch/"), events.stream().map(e -> e.payloadString("event")).toList());
    assertNull(events.get(0).payload().getValue("writeKey"));
  }

  @Test
  void malformedBatchesAreRefused() throws Exception {
    assertError(post("/v1/batch", new JsonObject().put("events", new JsonArray()), WEB_KEY), 400, "invalid_batch");
    assertError(post("/v1/batch", new JsonObject().put("batch", "nope"), WEB_KEY), 400, "invalid_batch");
    JsonObject empty = assertError(post("/v1/batch", new JsonObject().put("batch", new JsonArray()), WEB_KEY), 400, "invalid_batch");
    assertTrue(empty.getString("message").contains("empty"));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY));
    assertError(post("/v1/batch", Buffer.buffer("{\"batch\":[{\"type\":\"track\",]}"), headers), 400, "invalid_json");
    JsonObject notObject = assertError(post("/v1/batch", Buffer.buffer("[]"), headers), 400, "invalid_json");
    assertTrue(notObject.getString("message").contains("got an array"), notObject.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void acceptedEventsArePublishedOnTheLiveTapAfterTheAppendWhileATapListens() throws Exception {
    Runnable stopListening = state.tap().listen();
    Promise<JsonArray> tapped = Promise.promise();
    await(vertx.eventBus().<JsonArray>consumer(IngestVerticle.ACCEPTED_ADDRESS, message -> tapped.tryComplete(message.body()))
        .completion());
    JsonObject body = envelope(track("u", "Tap 1").put("type", "track"), new JsonObject().put("type", "track"),
        track("u", "Tap 2").put("type", "track"));
    assertEquals(200, post("/v1/batch", body, WEB_KEY).statusCode());

    JsonArray tappedEvents = await(tapped.future());
    stopListening.run();
    List<LogEntry> stored = readLog();
    assertEquals(List.of(stored.get(0).event().payload(), stored.get(1).event().payload()),
        tappedEvents.stream().map(t -> ((JsonObject) t).getJsonObject("payload")).toList());
    JsonObject first = tappedEvents.getJsonObject(0);
    assertEquals(List.of(stored.get(0).event().messageId(), "track", "analytics", stored.get(0).event().sourceId()),
        List.of(first.getString("messageId"), first.getString("type"), first.getString("topic"), first.getString("source")));
    assertEquals(new SourceCounts.Counts(2, 1), state.counts().snapshot().get(stored.get(0).event().sourceId()));
  }

  @Test
  void nothingIsPublishedWhenNoTapListens() throws Exception {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonArray>consumer(IngestVerticle.ACCEPTED_ADDRESS,
        message -> heard.add(message.body().getJsonObject(0).getJsonObject("payload").getString("event"))).completion());
    Runnable stopped = state.tap().listen();
    stopped.run();
    stopped.run(); // a second call changes nothing
    assertEquals(200, post("/v1/batch", envelope(track("u", "Quiet").put("type", "track")), WEB_KEY).statusCode());
    Runnable listening = state.tap().listen();
    assertEquals(200, post("/v1/batch", envelope(track("u", "Heard").put("type", "track")), WEB_KEY).statusCode());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (heard.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10); // polling with a deadline
    listening.run();
    // Both were published in order on one event loop: "Quiet", had it been published, came first.
    assertEquals(List.of("Heard"), heard);
  }
}
