package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route, with and without a trailing slash, and the short aliases Segment's browser
 * library (analytics-next) posts to: text/plain, the key both in Basic auth and the body.
 */
class RoutesTest extends IngestTestBase {

  private static final Map<String, String> ALIASES = Map.of(
      "t", "track", "i", "identify", "p", "page", "s", "screen", "g", "group", "a", "alias");

  /** An event as analytics-next sends it to /v1/{letter}. */
  static JsonObject browserEvent(String type, String messageId) {
    JsonObject event = new JsonObject().put("type", type).put("anonymousId", "anon-7f3c")
        .put("messageId", messageId).put("writeKey", WEB_KEY)
        .put("timestamp", "2026-11-23T10:00:00.000Z").put("sentAt", "2026-11-23T10:00:00.120Z")
        .put("context", new JsonObject().put("library", new JsonObject().put("name", "analytics.js")
            .put("version", "npm:next-1.84.3")).put("page", new JsonObject().put("path", "/pricing")))
        .put("integrations", new JsonObject())
        .put("_metadata", new JsonObject().put("bundled", new JsonArray().add("Segment.io")));
    switch (type) {
      case "track" -> event.put("event", "Clicked Buy").put("properties", new JsonObject().put("plan", "pro"));
      case "group" -> event.put("groupId", "acme");
      case "alias" -> event.put("userId", "user-1").put("previousId", "anon-7f3c");
      case "page", "screen" -> event.put("name", "Pricing");
      default -> event.put("traits", new JsonObject().put("plan", "pro"));
    }
    return event;
  }

  @Test
  void shortAliasesTakeAnalyticsNextRequests() throws Exception {
    List<String> sent = new ArrayList<>();
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String messageId = "ajs-next-" + alias.getKey();
      HttpResponse<Buffer> response = post("/v1/" + alias.getKey(),
          browserEvent(alias.getValue(), messageId).toBuffer(), headers(WEB_KEY, "text/plain"));
      assertEquals(200, response.statusCode(), alias + ": " + response.bodyAsString());
      assertEquals(1, json(response).getInteger("accepted"));
      sent.add(alias.getValue() + ":" + messageId);
    }
    List<Event> events = readLog().stream().map(LogEntry::event).toList();
    assertEquals(sent, events.stream().map(e -> e.type() + ":" + e.messageId()).toList());
    for (Event event : events) {
      JsonObject payload = event.payload();
      assertNull(payload.getValue("writeKey"));
      assertEquals("analytics.js", payload.getJsonObject("context").getJsonObject("library").getString("name"));
      assertEquals("web", event.sourceId());
    }
  }

  @Test
  void aliasWithKeyOnlyInTheBody() throws Exception {
    HttpResponse<Buffer> response = post("/v1/t", browserEvent("track", "body-key-only").toBuffer(),
        headers(null, "text/plain;charset=UTF-8"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("body-key-only", readLog().get(0).event().messageId());
  }

  @Test
  void theRouteSetsTheTypeWhateverTheBodySays() throws Exception {
    JsonObject claimsIdentify = browserEvent("track", "typed-by-route").put("type", "identify");
    assertEquals(200, post("/v1/t", claimsIdentify.toBuffer(), headers(WEB_KEY, "text/plain")).statusCode());
    assertEquals("track", readLog().get(0).event().type());
  }

  @Test
  void everySingleEventRouteAcceptsATrailingSlash() throws Exception {
    List<String> expected = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String type = alias.getValue();
      for (String path : List.of("/v1/" + type, "/v1/" + type + "/", "/v1/" + alias.getKey(),
          "/v1/" + alias.getKey() + "/")) {
        String messageId = "slash-" + (n++);
        HttpResponse<Buffer> response = post(path, browserEvent(type, messageId).toBuffer(),
            headers(WEB_KEY, "application/json"));
        assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
        expected.add(type + ":" + messageId);
      }
    }
    assertEquals(expected, readLog().stream().map(e -> e.event().type() + ":" + e.event().messageId()).toList());
  }

  @Test
  void batchAliasAndItsTrailingSlash() throws Exception {
    for (String path : List.of("/v1/b", "/v1/b/", "/v1/batch/", "/v1/import/")) {
      JsonObject body = new JsonObject().put("writeKey", WEB_KEY).put("sentAt", "2026-11-23T10:00:01.000Z")
          .put("batch", new JsonArray().add(browserEvent("track", "b-" + path)).add(browserEvent("page", "p-" + path)));
      HttpResponse<Buffer> response = post(path, body.toBuffer(), headers(WEB_KEY, "text/plain"));
      assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
      assertEquals(2, json(response).getInteger("accepted"));
    }
    assertEquals(8, readLog().size());
  }

  @Test
  void pingWithAndWithoutSlash() throws Exception {
    assertEquals(204, await(client.get("/v1/ping").send()).statusCode());
    assertEquals(204, await(client.get("/v1/ping/").send()).statusCode());
  }

  @Test
  void unknownShortPathsAre404() throws Exception {
    assertError(post("/v1/x", browserEvent("track", "x").toBuffer(), headers(WEB_KEY, "text/plain")), 404, "not_found");
    assertError(post("/v1/tracks", browserEvent("track", "x").toBuffer(), headers(WEB_KEY, "text/plain")),
        404, "not_found");
    assertTrue(readLog().isEmpty());
  }
}
