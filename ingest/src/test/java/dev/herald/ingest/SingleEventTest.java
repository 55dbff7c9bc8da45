package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /v1/track} and the other single-event routes. */
class SingleEventTest extends IngestTestBase {

  @Test
  void trackIsAcceptedDurablyAndNormalized() throws Exception {
    Instant before = Instant.now().minusMillis(1);
    HttpResponse<Buffer> response = post("/v1/track", track("user-1", "Signed Up"), WEB_KEY);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals(new JsonObject().put("success", true).put("accepted", 1).put("rejected", 0).put("duplicates", 0)
        .put("errors", new io.vertx.core.json.JsonArray()), json(response));

    List<LogEntry> entries = readLog();
    assertEquals(1, entries.size());
    Event event = entries.get(0).event();
    UUID.fromString(event.messageId());
    assertEquals("track", event.type());
    assertEquals("analytics", event.topic());
    assertEquals("web", event.sourceId());
    assertEquals("user-1", event.partitionKey());
    assertFalse(event.receivedAt().isBefore(before.minusMillis(1)));
    assertTrue(Duration.between(event.receivedAt(), Instant.now()).toSeconds() < 60);

    JsonObject payload = event.payload();
    assertEquals(event.messageId(), payload.getString("messageId"));
    assertEquals("track", payload.getString("type"));
    assertEquals("Signed Up", payload.getString("event"));
    assertEquals("pro", payload.getJsonObject("properties").getString("plan"));
    Instant receivedAt = Instant.parse(payload.getString("receivedAt"));
    assertEquals(event.receivedAt().toEpochMilli(), receivedAt.toEpochMilli());
  }

  @Test
  void writeKeyInTheBodyAuthenticatesAndIsNotStored() throws Exception {
    JsonObject event = track("user-2", "Clicked").put("writeKey", BACKEND_KEY);
    HttpResponse<Buffer> response = post("/v1/track", event, null);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    Event stored = readLog().get(0).event();
    assertEquals("backend", stored.sourceId());
    assertNull(stored.payload().getValue("writeKey"));
    assertFalse(stored.payloadBytes().toString().contains(BACKEND_KEY));
  }

  @Test
  void routeSetsTheTypeAndClientIdsAreKept() throws Exception {
    JsonObject identify = new JsonObject().put("type", "track").put("anonymousId", "anon-9")
        .put("messageId", "client-id-1").put("traits", new JsonObject().put("email", "a@b.c"));
    HttpResponse<Buffer> response = post("/v1/identify", identify, WEB_KEY);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    Event event = readLog().get(0).event();
    assertEquals("identify", event.type());
    assertEquals("identify", event.payload().getString("type"));
    assertEquals("client-id-1", event.messageId());
    assertEquals("anon-9", event.partitionKey());
  }

  @Test
  void eventWithoutUserIdOrAnonymousIdIsRefused() throws Exception {
    HttpResponse<Buffer> response = post("/v1/track", new JsonObject().put("event", "Orphan"), WEB_KEY);

    JsonObject body = assertError(response, 400, "invalid_event");
    assertTrue(body.getString("message").contains("userId"), body.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void trackWithoutEventNameIsRefused() throws Exception {
    HttpResponse<Buffer> response = post("/v1/track", new JsonObject().put("userId", "u"), WEB_KEY);

    JsonObject body = assertError(response, 400, "invalid_event");
    assertTrue(body.getString("message").contains("\"event\""), body.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void messageIdMustBeShorterThan100Characters() throws Exception {
    HttpResponse<Buffer> tooLong = post("/v1/track", track("u", "E").put("messageId", "m".repeat(100)), WEB_KEY);
    JsonObject body = assertError(tooLong, 400, "invalid_event");
    assertTrue(body.getString("message").contains("messageId") && body.getString("message").contains("100"),
        body.getString("message"));

    HttpResponse<Buffer> longest = post("/v1/track", track("u", "E").put("messageId", "m".repeat(99)), WEB_KEY);
    assertEquals(200, longest.statusCode(), longest.bodyAsString());
    assertEquals(List.of("m".repeat(99)), readLog().stream().map(e -> e.event().messageId()).toList());
  }

  @Test
  void malformedJsonIsInvalidJson() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Type", "application/json");
    JsonObject body = assertError(post("/v1/track", Buffer.buffer("{\"userId\": \"u\", "), headers), 400, "invalid_json");
    assertTrue(body.getString("message").contains("line 1"), body.getString("message"));

    assertError(post("/v1/track", Buffer.buffer("{\"userId\":\"u\"} trailing"), headers), 400, "invalid_json");
    assertError(post("/v1/track", Buffer.buffer(""), headers), 400, "invalid_json");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void nonObjectBodyIsRefused() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY));
    JsonObject body = assertError(post("/v1/track", Buffer.buffer("[{\"userId\":\"u\",\"event\":\"E\"}]"), headers),
        400, "invalid_json");
    assertTrue(body.getString("message").contains("JSON object"), body.getString("message"));
  }

  @Test
  void eventOverMaxEventBytesIsRefusedWith413() throws Exception {
    JsonObject big = track("u", "Big").put("properties", new JsonObject().put("blob", "x".repeat(33_000)));
    JsonObject body = assertError(post("/v1/track", big, WEB_KEY), 413, "event_too_large");
    assertTrue(body.getString("message").contains("maxEventBytes (32768 bytes)"), body.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void aBodyThatParsesAsJsonIsAcceptedWhateverItsDeclaredMediaType() throws Exception {
    List<String> types = java.util.Arrays.asList("text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "application/octet-stream", "application/xml", null);
    for (String type : types) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY));
      if (type != null) {
        headers.add("Content-Type", type);
      }
      assertEquals(200, post("/v1/track", track("u", "As " + type).toBuffer(), headers).statusCode(), type);
    }
    assertEquals(types.size(), readLog().size());
    // A '%' in a JSON string would break a form decoder; the body is read as JSON.
    MultiMap formLabelled = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Type", "application/x-www-form-urlencoded");
    JsonObject percent = track("u", "Coupon").put("properties", new JsonObject().put("discount", "10% off"));
    assertEquals(200, post("/v1/track", percent.toBuffer(), formLabelled).statusCode());
    assertEquals("10% off", readLog().get(types.size()).event().payload().getJsonObject("properties")
        .getString("discount"));
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Type", "application/x-www-form-urlencoded");
    assertError(post("/v1/track", Buffer.buffer("userId=u&event=E"), form), 400, "invalid_json");
    assertEquals(types.size() + 1, readLog().size());
  }

  @Test
  void groupAndAliasNeedTheirIds() throws Exception {
    JsonObject group = assertError(post("/v1/group", new JsonObject().put("userId", "u"), WEB_KEY), 400, "invalid_event");
    assertTrue(group.getString("message").contains("groupId"), group.getString("message"));
    JsonObject alias = assertError(post("/v1/alias", new JsonObject().put("userId", "u"), WEB_KEY), 400, "invalid_event");
    assertTrue(alias.getString("message").contains("previousId"), alias.getString("message"));
    assertEquals(200, post("/v1/alias", new JsonObject().put("userId", "u").put("previousId", "anon"), WEB_KEY).statusCode());
  }

  @Test
  void pingAnswers204AndUnknownRoutesAnswerJson() throws Exception {
    assertEquals(204, await(client.get("/v1/ping").send()).statusCode());
    assertError(await(client.get("/v1/nowhere").send()), 404, "not_found");
    assertError(await(client.get("/v1/track").send()), 405, "method_not_allowed");
  }
}
