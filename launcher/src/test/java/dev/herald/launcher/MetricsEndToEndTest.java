package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.admin.LogCapture;
import dev.herald.launcher.metrics.HeraldMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running Herald (real plugins, real destination servers, a Vertx reporting to Herald's
 * registry) scraped through {@code GET /metrics}: the Prometheus counts agree with
 * {@code GET /admin/destinations}, and ingest, the log and Vert.x report too.
 */
class MetricsEndToEndTest {

  private static final String WRITE_KEY = "metrics-write-key";
  private static final String ADMIN_TOKEN = "metrics-admin-token";

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = HeraldMetrics.newRegistry();
  private final Vertx vertx = HeraldMetrics.vertx(registry);
  private final WebClient client = WebClient.create(vertx);
  private Herald herald;
  private DestinationServer good;
  private DestinationServer bad;

  @BeforeEach
  void setUp() throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    good = await(DestinationServer.start(vertx, 0));
    bad = await(DestinationServer.start(vertx, 0));
    bad.status.set(400);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (herald != null) await(herald.stop());
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** The {@code log:} section: the embedded log here; a subclass runs the same tests on Kafka. */
  String logSection() {
    return "{ dir: \"" + dir.resolve("data") + "\", fsync: always }";
  }

  private LoadedConfig config(String admin) throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, port: 0 }
        admin: %s
        sources: [{ id: backend, writeKey: "%s" }]
        log: %s
        plugins: { dir: "%s" }
        destinations:
          - id: good
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events" }
            events: { exclude: ["Ignored *"] }
            delivery: { batchEvents: 7, lingerMs: 5 }
          - id: bad
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events" }
            delivery:
              batchEvents: 7
              lingerMs: 5
              retry: { initialBackoff: 10ms, maxBackoff: 50ms }
              breaker: { failures: 2, reset: 1h }
        """.formatted(admin, WRITE_KEY, logSection(), dir.resolve("plugins"), good.port(), bad.port());
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    return new ConfigLoader(new Secrets(Map.of("ADMIN_TOKEN", ADMIN_TOKEN)::get)).load(file);
  }

  private HttpResponse<Buffer> admin(String path) {
    return await(client.get(herald.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send());
  }

  private HttpResponse<Buffer> batch(JsonArray events) {
    String basic = Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes());
    return await(client.post(herald.ingestPort(), "127.0.0.1", "/v1/batch")
        .putHeader("Authorization", "Basic " + basic)
        .sendJsonObject(new JsonObject().put("batch", events)));
  }

  private static JsonObject track(String event, String messageId) {
    return new JsonObject().put("type", "track").put("event", event).put("userId", "u-" + messageId)
        .put("messageId", messageId);
  }

  /** Prometheus text as series (name and sorted labels) to value; comments skipped. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> series = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      String key = line.substring(0, space);
      int brace = key.indexOf('{');
      if (brace >= 0) {
        Map<String, String> labels = new TreeMap<>();
        for (String pair : key.substring(brace + 1, key.length() - 1).split(",(?=[a-zA-Z_]+=\")")) {
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
        key = key.substring(0, brace) + labels;
      }
      series.put(key, Double.parseDouble(line.substring(space + 1)));
    }
    return series;
  }

  private Map<String, Double> scrape() {
    HttpResponse<Buffer> response = admin("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("text/plain"), response.getHeader("Content-Type"));
    return parse(response.bodyAsString());
  }

  private JsonObject status(String id) {
    JsonArray all = admin("/admin/destinations").bodyAsJsonObject().getJsonArray("destinations");
    for (int i = 0; i < all.size(); i++) {
      if (id.equals(all.getJsonObject(i).getString("id"))) return all.getJsonObject(i);
    }
    throw new AssertionError("no destination " + id + " in " + all);
  }

  private static double value(Map<String, Double> series, String name, String... labels) {
    Map<String, String> l = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
    Double v = series.get(name + (labels.length == 0 ? "" : l.toString()));
    if (v == null) throw new AssertionError("no series " + name + l);
    return v;
  }

  @Test
  void metricsCountsAgreeWithTheAdminApiAndCoverIngestTheLogAndVertx() throws Exception {
    LogCapture logs = new LogCapture();
    herald = await(Herald.start(vertx, config("{ host: 0.0.0.0, port: 0, token: \"${{ secrets.ADMIN_TOKEN }}\" }"),
        registry));
    HttpResponse<Buffer> refused = await(client.get(herald.adminPort(), "127.0.0.1", "/metrics")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN + "-wrong").send());
    assertEquals(401, refused.statusCode());
    assertFalse(refused.bodyAsString().contains(ADMIN_TOKEN));
    JsonArray events = new JsonArray();
    for (int i = 0; i < 30; i++) events.add(track("Order Completed", "order-" + i));
    for (int i = 0; i < 10; i++) events.add(track("Ignored Ping", "ping-" + i));
    events.add(new JsonObject().put("type", "track").put("event", "No User").put("messageId", "invalid-1"));
    assertEquals(200, batch(events).statusCode());
    assertEquals(200, batch(new JsonArray().add(track("Order Completed", "order-0"))).statusCode()); // a duplicate

    Polling.until(Duration.ofSeconds(60), () -> {
      JsonObject g = status("good");
      JsonObject b = status("bad");
      return g.getLong("delivered") == 30 && g.getLong("filtered") == 10 && b.getLong("rejected") == 40
          && b.getLong("deadLettered") == 40 && g.getLong("lag") == 0 && b.getLong("lag") == 0;
    }, () -> status("good") + " " + status("bad"));

    Map<String, Double> m = scrape();
    for (String id : List.of("good", "bad")) {
      JsonObject s = status(id);
      Map<String, String> outcomes = Map.of("delivered", "delivered", "rejected", "rejected", "retried", "retried",
          "dead_lettered", "deadLettered", "filtered", "filtered", "transform_failed", "transformFailed");
      outcomes.forEach((outcome, field) -> assertEquals(s.getLong(field).doubleValue(),
          value(m, "herald_destination_events_total", "destination", id, "outcome", outcome), id + " " + outcome));
      assertEquals(s.getLong("lag").doubleValue(), value(m, "herald_destination_lag_events", "destination", id));
      assertEquals(0.0, value(m, "herald_destination_lag_seconds", "destination", id), id);
      assertEquals(0.0, value(m, "herald_destination_breaker_state", "destination", id), id);
      assertTrue(s.getInteger("concurrencyLimit") >= 1, id);
      assertEquals(s.getInteger("concurrencyLimit").doubleValue(),
          value(m, "herald_destination_concurrency_limit", "destination", id), id);
      assertEquals(0.0, value(m, "herald_log_lost_events_total", "destination", id, "cause", "retention"), id);
      assertTrue(value(m, "herald_destination_send_seconds_count", "destination", id) >= 40 / 7, id);
      assertTrue(m.containsKey("herald_destination_send_seconds_bucket{destination=" + id + ", le=0.1}"), id);
    }
    assertEquals(40.0, value(m, "herald_ingest_events_total", "source", "backend", "outcome", "accepted", "code", ""));
    assertEquals(1.0, value(m, "herald_ingest_events_total", "source", "backend", "outcome", "duplicate", "code", ""));
    assertEquals(1.0, value(m, "herald_ingest_events_total",
        "source", "backend", "outcome", "rejected", "code", "invalid_event"));
    assertEquals(2.0, value(m, "herald_ingest_request_seconds_count", "route", "/v1/batch", "status", "200"));
    assertTrue(value(m, "herald_log_append_seconds_count", "result", "durable") >= 1);
    assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
    assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("vertx_pool_")), "Vert.x pool metrics");
    assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("vertx_http_server_")), "Vert.x HTTP server metrics");
    logs.close();
    assertTrue(logs.lines().size() > 5, "the capture saw Herald's log");
    logs.lines().forEach(line -> assertFalse(line.contains(ADMIN_TOKEN), line));
  }

  @Test
  void aFailingDestinationShowsItsBreakerOpenAndTheAgeOfItsOldestUnsettledEvent() throws Exception {
    bad.status.set(503);
    herald = await(Herald.start(vertx, config("{ host: 127.0.0.1, port: 0, token: \"${{ secrets.ADMIN_TOKEN }}\" }"),
        registry));
    assertEquals(200, batch(new JsonArray().add(track("Order Completed", "stuck-1"))).statusCode());

    Polling.until(Duration.ofSeconds(60), () -> {
      Map<String, Double> m = scrape();
      return value(m, "herald_destination_breaker_state", "destination", "bad") == 2.0
          && value(m, "herald_destination_lag_seconds", "destination", "bad") > 0
          && value(m, "herald_destination_events_total", "destination", "bad", "outcome", "retried") >= 2
          && value(m, "herald_destination_lag_seconds", "destination", "good") == 0.0
          // the Kafka log refreshes its lag every few seconds
          && value(m, "herald_destination_lag_events", "destination", "bad") == 1.0;
    }, () -> status("bad").encode());
    Map<String, Double> m = scrape();
    assertEquals(1.0, value(m, "herald_destination_events_total", "destination", "good", "outcome", "delivered"));
    assertEquals("PARKED", status("bad").getString("state"));
  }

  @Test
  void adminPluginsListsEachPluginWithItsVersionAndTypes() throws Exception {
    herald = await(Herald.start(vertx, config("{ host: 127.0.0.1, port: 0, token: \"${{ secrets.ADMIN_TOKEN }}\" }"),
        registry));
    JsonArray plugins = admin("/admin/plugins").bodyAsJsonObject().getJsonArray("plugins");
    Map<String, JsonObject> byType = new HashMap<>();
    plugins.forEach(p -> ((JsonObject) p).getJsonArray("types").forEach(t -> byType.put((String) t, (JsonObject) p)));
    for (String type : List.of("http", "file")) { // the plugins PluginJars copies
      JsonObject plugin = byType.get(type);
      assertTrue(plugin != null, type + " in " + plugins.encode());
      assertEquals("started", plugin.getString("state"));
      assertTrue(plugin.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), plugin.encode());
      assertTrue(!plugin.getString("id").isBlank(), plugin.encode());
    }
  }

  @Test
  void heraldRefusesToStartWithANonLoopbackAdminHostAndNoToken() throws Exception {
    Throwable failure = await(Herald.start(vertx, config("{ host: 0.0.0.0, port: 0 }"), registry)
        .transform(ar -> Future.succeededFuture(ar.cause())));
    ConfigException e = assertInstanceOf(ConfigException.class, failure);
    assertTrue(e.getMessage().contains("admin.token"), e.getMessage());
    assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
  }
}
