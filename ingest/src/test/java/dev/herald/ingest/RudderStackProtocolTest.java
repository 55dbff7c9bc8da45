package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What RudderStack's SDKs send, request by request: the Node SDK's gzip batches labelled
 * form-urlencoded, the browser SDK's source-config fetch, its custom headers in the CORS
 * preflight, and its sendBeacon batches with the key in the query string.
 */
class RudderStackProtocolTest extends IngestTestBase {

  private static final String APP = "http://localhost:3000";

  @Override
  IngestOptions options() {
    return super.options().withCorsOrigins(List.of(APP));
  }

  static JsonObject rudderEvent(String type, String messageId) {
    JsonObject event = new JsonObject().put("type", type).put("messageId", messageId)
        .put("anonymousId", "anon-1").put("channel", "server")
        .put("originalTimestamp", "2026-11-23T10:00:00.000Z").put("sentAt", "2026-11-23T10:00:00.100Z")
        .put("context", new JsonObject().put("library", new JsonObject().put("name", "analytics-node")))
        .put("_metadata", new JsonObject().put("nodeVersion", "20.20.2"));
    if (type.equals("track")) {
      event.put("event", "Order Completed").put("properties", new JsonObject().put("total", 9.5));
    }
    return event;
  }

  @Test
  void theNodeSdksGzipBatchLabelledFormUrlencodedIsAccepted() throws Exception {
    JsonObject batch = new JsonObject().put("sentAt", "2026-11-23T10:00:00.200Z")
        .put("batch", new JsonArray().add(rudderEvent("track", "rs-1")).add(rudderEvent("identify", "rs-2")));
    MultiMap headers = headers(WEB_KEY, "application/x-www-form-urlencoded").add("Content-Encoding", "gzip");
    HttpResponse<Buffer> response = post("/v1/batch", Buffer.buffer(gzip(batch.toBuffer().getBytes())), headers);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(2, json(response).getInteger("accepted"));
    List<LogEntry> stored = readLog();
    assertEquals(List.of("rs-1", "rs-2"), stored.stream().map(e -> e.event().messageId()).toList());
    JsonObject first = stored.get(0).event().payload();
    assertEquals("server", first.getString("channel"));
    assertEquals(new JsonObject().put("total", 9.5), first.getJsonObject("properties"));
  }

  @Test
  void rawTopicsStillRefuseMediaTypesTheyCannotRead() throws Exception {
    assertError(post("/v1/topics/orders", Buffer.buffer("{\"a\":1}"),
        headers(WEB_KEY, "application/x-www-form-urlencoded")), 415, "unsupported_media_type");
  }

  @Test
  void aBeaconBatchWithTheKeyInTheQueryIsAccepted() throws Exception {
    JsonObject body = new JsonObject().put("sentAt", "2026-11-23T10:00:00.200Z")
        .put("batch", new JsonArray().add(rudderEvent("track", "beacon-1")).add(rudderEvent("page", "beacon-2")));
    for (String path : List.of("/beacon/v1/batch?writeKey=" + WEB_KEY, "/beacon/v1/batch/?writeKey=" + WEB_KEY)) {
      HttpResponse<Buffer> response = post(path, body.toBuffer(), headers(null, "text/plain;charset=UTF-8"));
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }
    List<LogEntry> stored = readLog();
    assertEquals(2, stored.size(), "the second copy is a duplicate");
    assertEquals("web", stored.get(0).event().sourceId());
  }

  @Test
  void aWrongQueryKeyIsRefusedAndOnlyTheBeaconRouteReadsTheQuery() throws Exception {
    JsonObject body = new JsonObject().put("batch", new JsonArray().add(rudderEvent("track", "q-1")));
    assertError(post("/beacon/v1/batch?writeKey=nope", body.toBuffer(), headers(null, "text/plain")),
        401, "invalid_write_key");
    assertError(post("/beacon/v1/batch", body.toBuffer(), headers(null, "text/plain")), 401, "invalid_write_key");
    assertError(post("/v1/batch?writeKey=" + WEB_KEY, body.toBuffer(), headers(null, "text/plain")),
        401, "invalid_write_key");
    assertTrue(readLog().isEmpty());
  }

  private HttpResponse<Buffer> sourceConfig(String path, String key) throws Exception {
    var request = client.get(path);
    if (key != null) {
      request.putHeader("Authorization", basic(key));
    }
    return await(request.putHeader("Origin", APP).send());
  }

  @Test
  void theSourceConfigNamesTheKeysSourceEnabledWithNoDeviceModeDestinations() throws Exception {
    for (String path : List.of("/sourceConfig", "/sourceConfig/?p=npm&v=3.34.1&build=modern&writeKey=" + BACKEND_KEY)) {
      HttpResponse<Buffer> response = sourceConfig(path, BACKEND_KEY);
      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertEquals(APP, response.getHeader("Access-Control-Allow-Origin"));
      JsonObject source = json(response).getJsonObject("source");
      assertEquals("backend", source.getString("id"));
      assertEquals("backend", source.getString("name"));
      assertEquals(true, source.getBoolean("enabled"));
      assertEquals(new JsonObject(), source.getJsonObject("config"));
      assertEquals(new JsonArray(), source.getJsonArray("destinations"));
      assertFalse(response.bodyAsString().contains(BACKEND_KEY));
    }
  }

  @Test
  void aWrongOrMissingKeyGetsNoSourceConfig() throws Exception {
    assertError(sourceConfig("/sourceConfig/", "nope"), 401, "invalid_write_key");
    assertError(sourceConfig("/sourceConfig/?writeKey=" + WEB_KEY, null), 401, "invalid_write_key");
  }

  private HttpResponse<Buffer> preflight(String path, String requestHeaders) throws Exception {
    return await(client.request(HttpMethod.OPTIONS, path).putHeader("Origin", APP)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", requestHeaders).send());
  }

  @Test
  void thePreflightEchoesTheBrowserSdksHeadersAndLeavesOutOthers() throws Exception {
    String asked = "Authorization,Content-Type,AnonymousId,SentAt,Rsa-Retry-Attempt,Rsa-Since-Last-Attempt,"
        + "Rsa-Since-First-Attempt,Rsa-Retry-Reason,Rsa-Recovered,X-Retry-Count,X-Evil";
    for (String path : List.of("/v1/track", "/v1/batch", "/sourceConfig/", "/beacon/v1/batch")) {
      HttpResponse<Buffer> response = preflight(path, asked);
      assertEquals(204, response.statusCode(), path);
      assertEquals(APP, response.getHeader("Access-Control-Allow-Origin"));
      assertEquals("authorization, content-type, anonymousid, sentat, rsa-retry-attempt, rsa-since-last-attempt, "
          + "rsa-since-first-attempt, rsa-retry-reason, rsa-recovered, x-retry-count",
          response.getHeader("Access-Control-Allow-Headers"), path);
      assertTrue(response.getHeader("Vary").contains("Access-Control-Request-Headers"));
    }
    HttpResponse<Buffer> other = await(client.request(HttpMethod.OPTIONS, "/v1/track")
        .putHeader("Origin", "https://elsewhere.example").putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "anonymousid").send());
    assertError(other, 403, "origin_not_allowed");
    assertNull(other.getHeader("Access-Control-Allow-Headers"));
  }

  @Test
  void theBrowserSdksPostWithItsHeadersIsAccepted() throws Exception {
    MultiMap headers = headers(WEB_KEY, "application/json;charset=UTF-8").add("Origin", APP)
        .add("AnonymousId", java.util.Base64.getEncoder().encodeToString("anon-1".getBytes(StandardCharsets.UTF_8)))
        .add("SentAt", "2026-11-23T10:00:00.100Z");
    HttpResponse<Buffer> response = post("/v1/track", rudderEvent("track", "xhr-1").toBuffer(), headers);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(APP, response.getHeader("Access-Control-Allow-Origin"));
    assertEquals("xhr-1", readLog().get(0).event().messageId());
  }
}
