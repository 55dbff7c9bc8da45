package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS as a browser running analytics.js on an allowed origin exercises it: preflight, then the POST. */
class CorsTest extends IngestTestBase {

  private static final String APP = "https://app.example.com";

  @Override
  IngestOptions options() {
    return super.options().withCorsOrigins(List.of(APP + "/", "http://localhost:3000"));
  }

  private HttpResponse<Buffer> preflight(String path, String origin, String requestHeaders) throws Exception {
    return await(client.request(HttpMethod.OPTIONS, path).putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", requestHeaders).send());
  }

  @Test
  void preflightFromAnAllowedOriginAllowsTheHeadersAnalyticsJsSends() throws Exception {
    for (String path : List.of("/v1/t", "/v1/p/", "/v1/batch", "/v1/b", "/v1/import/", "/v1/topics/clicks")) {
      for (String asked : List.of("authorization,content-type", "authorization, content-type, x-retry-count")) {
        HttpResponse<Buffer> response = preflight(path, APP, asked);
        assertEquals(204, response.statusCode(), path);
        assertEquals(APP, response.getHeader("Access-Control-Allow-Origin"));
        assertTrue(response.getHeader("Vary").contains("Origin"));
        assertTrue(response.getHeader("Access-Control-Allow-Methods").contains("POST"));
        String allowed = response.getHeader("Access-Control-Allow-Headers");
        for (String header : asked.split(",")) {
          assertTrue(allowed.contains(header.trim()), allowed + " lacks " + header);
        }
      }
    }
  }

  @Test
  void thePostsAnswerCarriesTheOriginErrorsIncluded() throws Exception {
    MultiMap headers = headers(WEB_KEY, "text/plain").add("Origin", APP);
    HttpResponse<Buffer> ok = post("/v1/t", RoutesTest.browserEvent("track", "cors-1").toBuffer(), headers);
    assertEquals(200, ok.statusCode());
    assertEquals(APP, ok.getHeader("Access-Control-Allow-Origin"));
    assertTrue(ok.getHeader("Access-Control-Expose-Headers").contains("Retry-After"));

    HttpResponse<Buffer> unauthorized = post("/v1/t", RoutesTest.browserEvent("track", "cors-2").toBuffer(),
        headers("wrong", "text/plain").add("Origin", APP));
    assertError(unauthorized, 401, "invalid_write_key");
    assertEquals(APP, unauthorized.getHeader("Access-Control-Allow-Origin"));

    HttpResponse<Buffer> invalid = post("/v1/t", Buffer.buffer("{"), headers);
    assertError(invalid, 400, "invalid_json");
    assertEquals(APP, invalid.getHeader("Access-Control-Allow-Origin"));

    HttpResponse<Buffer> local = post("/v1/t", RoutesTest.browserEvent("track", "cors-3").toBuffer(),
        headers(WEB_KEY, "text/plain").add("Origin", "http://LOCALHOST:3000"));
    assertEquals("http://LOCALHOST:3000", local.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void otherOriginsGetNoCorsHeaders() throws Exception {
    JsonObject body = assertError(preflight("/v1/t", "https://evil.example", "authorization"), 403, "origin_not_allowed");
    assertTrue(body.getString("message").contains("corsOrigins"), body.getString("message"));
    HttpResponse<Buffer> post = post("/v1/t", RoutesTest.browserEvent("track", "other").toBuffer(),
        headers(WEB_KEY, "text/plain").add("Origin", "https://evil.example"));
    // The write key decides what is accepted; CORS only decides what a browser may read.
    assertEquals(200, post.statusCode());
    assertNull(post.getHeader("Access-Control-Allow-Origin"));
    // Server-side clients send no Origin and see no CORS headers.
    assertNull(post("/v1/track", track("u", "E"), WEB_KEY).getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void badOriginSettingsAreRefused() {
    for (String bad : List.of("app.example.com", "https://app.example.com/path", "ftp://x")) {
      try {
        super.options().withCorsOrigins(List.of(bad));
        throw new AssertionError(bad + " was accepted");
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().contains(bad), expected.getMessage());
      }
    }
  }
}
