package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A token bucket per write key: {@code rateLimit: 6/min}; over it, 429 with Retry-After and JSON. */
class RateLimitTest extends IngestTestBase {

  private final TestClock testClock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));

  @Override
  java.time.Clock clock() {
    return testClock;
  }

  @Override
  IngestOptions options() {
    return super.options().withSources(List.of(
        new SourceOptions("web", WEB_KEY).withRateLimit(new RateLimit(6, Duration.ofMinutes(1))).withRawTopics(ALL_TOPICS),
        new SourceOptions("backend", BACKEND_KEY).withRawTopics(ALL_TOPICS)));
  }

  private static JsonObject batchOf(int events) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < events; i++) {
      items.add(track("u", "E" + i).put("type", "track"));
    }
    return new JsonObject().put("batch", items);
  }

  @Test
  void overTheLimitIs429WithRetryAfter() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode());
    }
    HttpResponse<Buffer> refused = post("/v1/track", track("u", "E"), WEB_KEY);
    JsonObject body = assertError(refused, 429, "rate_limited");
    // 6 per minute: one token every 10 s.
    assertEquals("10", refused.getHeader("Retry-After"));
    assertEquals(10, body.getInteger("retryAfter"));
    assertTrue(body.getString("message").contains("'web'") && body.getString("message").contains("6/min"),
        body.getString("message"));
    assertFalse(body.encode().contains(WEB_KEY));
    assertEquals(6, readLog().size());
    assertEquals(1, state.rateLimited());

    testClock.advance(Duration.ofSeconds(10));
    assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode());
    assertError(post("/v1/track", track("u", "E"), WEB_KEY), 429, "rate_limited");
  }

  @Test
  void swappedSourcesTakeEffectOnTheNextRequestAndAnUnchangedLimitKeepsItsBucket() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode());
    }
    List<SourceOptions> same = options().sources();
    state.updateSources(same);
    assertError(post("/v1/track", track("u", "E"), WEB_KEY), 429, "rate_limited");

    state.updateSources(List.of(same.get(0).withRateLimit(new RateLimit(100, Duration.ofMinutes(1))),
        new SourceOptions("mobile", "mobile-key-1234")));
    assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode(), "a changed limit starts a new bucket");
    assertEquals(200, post("/v1/track", track("u", "E"), "mobile-key-1234").statusCode(), "an added key is accepted");
    assertError(post("/v1/track", track("u", "E"), BACKEND_KEY), 401, "invalid_write_key");
  }

  @Test
  void eachEventCostsATokenAndABatchNeedsAllOfItsTokens() throws Exception {
    assertEquals(200, post("/v1/batch", batchOf(4), WEB_KEY).statusCode());
    HttpResponse<Buffer> refused = post("/v1/batch", batchOf(3), WEB_KEY);
    assertError(refused, 429, "rate_limited");
    assertEquals("10", refused.getHeader("Retry-After"));
    assertEquals(200, post("/v1/batch", batchOf(2), WEB_KEY).statusCode());
    assertEquals(6, readLog().size());
  }

  @Test
  void aBatchLargerThanTheBucketPassesOnlyWhenTheBucketIsFull() throws Exception {
    assertEquals(200, post("/v1/batch", batchOf(10), WEB_KEY).statusCode());
    // Four tokens in debt: a full bucket again takes 100 s.
    HttpResponse<Buffer> refused = post("/v1/track", track("u", "E"), WEB_KEY);
    assertError(refused, 429, "rate_limited");
    assertEquals("50", refused.getHeader("Retry-After"));
    testClock.advance(Duration.ofSeconds(50));
    assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode());
  }

  @Test
  void theLimitIsPerKeyAndAppliesToBodyKeysAndRawTopics() throws Exception {
    assertEquals(200, post("/v1/batch", batchOf(6), WEB_KEY).statusCode());
    assertError(post("/v1/track", track("u", "E").put("writeKey", WEB_KEY), null), 429, "rate_limited");
    assertError(post("/v1/topics/t", new JsonObject().put("n", 1), WEB_KEY), 429, "rate_limited");
    for (int i = 0; i < 20; i++) {
      assertEquals(200, post("/v1/track", track("u", "E"), BACKEND_KEY).statusCode());
    }
  }

  @Test
  void anEmptyBucketRefusesBeforeTheBodyIsRead() throws Exception {
    assertEquals(200, post("/v1/batch", batchOf(6), WEB_KEY).statusCode());
    NetClient net = vertx.createNetClient();
    try {
      RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
      await(exchange.write("POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + basic(WEB_KEY)
          + "\r\nContent-Type: application/json\r\nContent-Length: 400000\r\n\r\n{\"batch\":["));
      String response = await(exchange.response());
      assertEquals(429, RawHttpExchange.status(response), response);
      assertTrue(response.toLowerCase().contains("retry-after: 10"), response);
      await(exchange.close());
    } finally {
      await(net.close());
    }
  }

  @Test
  void rateLimitText() {
    assertEquals("10000/min", new RateLimit(10000, Duration.ofMinutes(1)).toString());
  }
}
