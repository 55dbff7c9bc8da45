package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest settings of herald.yaml take effect in a running Herald: trustProxy, corsOrigins,
 * a source's ipPolicy, rateLimit and rawTopics, dedupWindow (across a restart) and the JSON limits.
 */
@ExtendWith(VertxExtension.class)
class IngestSettingsTest {

  private static final String APP = "https://app.example.com";

  @TempDir Path dir;
  private WebClient client;
  private Herald herald;

  @AfterEach
  void tearDown() {
    if (client != null) client.close();
    if (herald != null) await(herald.stop());
  }

  private void start(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("plugins"));
    String yaml = """
        server: { host: 127.0.0.1, port: 0, trustProxy: true, corsOrigins: ["%s"] }
        admin: { host: 127.0.0.1, port: 0 }
        ingest: { dedupWindow: 1h, maxJsonDepth: 8 }
        sources:
          - { id: web, writeKey: wk-web, ipPolicy: truncate, rateLimit: 3/min }
          - { id: backend, writeKey: wk-backend, rawTopics: ["orders"] }
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        """.formatted(APP, dir.resolve("data"), dir.resolve("plugins"));
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.<String, String>of()::get))
        .load(Files.writeString(dir.resolve("herald.yaml"), yaml));
    assertEquals(List.of(), loaded.problems());
    herald = await(Herald.start(vertx, loaded));
    if (client == null) client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> track(String key, JsonObject event) {
    return await(request(HttpMethod.POST, "/v1/track")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
        .putHeader("X-Forwarded-For", "203.0.113.77, 10.0.0.1")
        .putHeader("Origin", APP)
        .sendBuffer(event.toBuffer()));
  }

  private HttpResponse<Buffer> record(String key, String topic) {
    return await(request(HttpMethod.POST, "/v1/topics/" + topic)
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
        .sendBuffer(Buffer.buffer("{\"n\":1}")));
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, herald.ingestPort(), "127.0.0.1", path);
  }

  private static JsonObject event(String messageId) {
    return new JsonObject().put("userId", "u").put("event", "Signed Up").put("messageId", messageId);
  }

  @Test
  void ingestSettingsTakeEffect(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> preflight = await(request(HttpMethod.OPTIONS, "/v1/t").putHeader("Origin", APP)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization, content-type, x-retry-count").send());
    assertEquals(204, preflight.statusCode());
    assertEquals(APP, preflight.getHeader("Access-Control-Allow-Origin"));

    HttpResponse<Buffer> first = track("wk-web", event("m-1"));
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertEquals(APP, first.getHeader("Access-Control-Allow-Origin"));
    assertEquals(1, first.bodyAsJsonObject().getInteger("accepted"));
    assertEquals(1, track("wk-web", event("m-1")).bodyAsJsonObject().getInteger("duplicates"));
    assertEquals(200, track("wk-web", event("m-2")).statusCode());
    HttpResponse<Buffer> limited = track("wk-web", event("m-3"));
    assertEquals(429, limited.statusCode(), limited.bodyAsString());
    assertEquals("rate_limited", limited.bodyAsJsonObject().getString("code"));
    // 3/min: a permit comes back within 20 s (how much within depends on how long the requests took).
    long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);

    JsonObject deep = event("deep").put("properties", new JsonObject("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":1}}}}}}}}"));
    HttpResponse<Buffer> tooDeep = track("wk-backend", deep);
    assertEquals(400, tooDeep.statusCode());
    assertTrue(tooDeep.bodyAsJsonObject().getString("message").contains("maxJsonDepth (8)"), tooDeep.bodyAsString());

    assertEquals(200, record("wk-backend", "orders").statusCode());
    HttpResponse<Buffer> notListed = record("wk-backend", "clicks");
    assertEquals(403, notListed.statusCode(), notListed.bodyAsString());
    assertEquals("topic_not_allowed", notListed.bodyAsJsonObject().getString("code"));

    await(herald.stop());
    start(vertx);
    assertEquals(1, track("wk-web", event("m-1")).bodyAsJsonObject().getInteger("duplicates"),
        "dedup memory lost across a restart");
    await(herald.stop());
    herald = null;

    List<LogEntry> stored = readLog(vertx, dir.resolve("data"));
    assertEquals(List.of("m-1", "m-2", "orders"), stored.stream()
        .map(e -> e.event().topic().equals("analytics") ? e.event().messageId() : e.event().topic()).toList());
    assertEquals("203.0.113.0", stored.get(0).event().payload().getJsonObject("context").getString("ip"));
  }

  private static List<LogEntry> readLog(Vertx vertx, Path data) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, EmbeddedLogOptions.defaults(data)));
    try {
      LogSubscription subscription = await(log.subscribe("ingest-settings-test"));
      return await(subscription.poll(100, 1 << 20));
    } finally {
      await(log.close());
    }
  }
}
