package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.MessageBuilder;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.ResolvedDestination;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.config.ValidConfig;
import dev.herald.launcher.plugins.HeraldDestinationContext;
import dev.herald.launcher.plugins.PluginCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment's Java client → Herald in-process (the real {@code destination-amplitude} plugin JAR
 * loaded through PF4J) → a server playing Amplitude's HTTP V2 API: 10,000 events of every type,
 * each present once with its mapped fields. Ingest listens on a port it names, so it runs as in
 * production: one instance per core sharing that port.
 */
@ExtendWith({VertxExtension.class, SeededRandom.class})
class AmplitudeEndToEndTest {

  private static final String WRITE_KEY = "amp-e2e-write-key";
  private static final String ADMIN_TOKEN = "amp-e2e-admin-token";
  private static final String AMPLITUDE_KEY = "amp-e2e-api-key-0123";

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private Random random;
  private Herald herald;
  private AmplitudeServer amplitude;

  /** What was sent for one Segment message, to check what Amplitude got. */
  record Sent(String type, String messageId, String userId, int n, long timestamp, String extra) {}

  @BeforeEach
  void setUp(Vertx vertx, Random random) throws Exception {
    this.vertx = vertx;
    this.random = random;
    this.client = WebClient.create(vertx);
    PluginJars.copyInto(dir.resolve("plugins"));
    Path jar = PluginJars.source().resolve("destination-amplitude.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the whole reactor (./mvnw verify) so the plugins exist");
    }
    Files.copy(jar, dir.resolve("plugins/destination-amplitude.jar"), StandardCopyOption.REPLACE_EXISTING);
    amplitude = await(AmplitudeServer.start(vertx));
  }

  @AfterEach
  void tearDown() {
    if (herald != null) await(herald.stop());
    if (amplitude != null) await(amplitude.server.close());
    client.close();
  }

  @Test
  void tenThousandSegmentEventsOfEveryTypeReachAmplitudeMapped() throws Exception {
    int ingestPort = Ports.free();
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0, token: "${{ secrets.ADMIN_TOKEN }}" }
        sources: [{ id: backend, writeKey: "${{ secrets.WRITE_KEY }}" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
          - id: amplitude
            type: amplitude
            config:
              apiKey: "${{ secrets.AMPLITUDE_API_KEY }}"
              endpoint: "http://127.0.0.1:%d"
            delivery: { batchEvents: 2000, lingerMs: 20, maxInFlight: 4 }
        """.formatted(ingestPort, dir.resolve("data"), dir.resolve("plugins"), amplitude.server.actualPort());
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "WRITE_KEY", WRITE_KEY,
        "AMPLITUDE_API_KEY", AMPLITUDE_KEY)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    herald = await(Herald.start(vertx, loaded));
    assertEquals(ingestPort, herald.ingestPort(), "ingest on the port it names, one instance per core");

    Map<String, Sent> sent = sendEveryType(10_000);
    Set<String> expected = new HashSet<>(sent.keySet());
    sent.values().stream().filter(s -> s.type().equals("group")).forEach(s -> expected.add(s.messageId() + "-group"));

    Polling.until(Duration.ofSeconds(120), () -> amplitude.ingested.size() >= expected.size(),
        () -> amplitude.ingested.size() + " of " + expected.size() + " Amplitude events in, statuses " + amplitude.statuses);
    Polling.until(Duration.ofSeconds(10), () -> destinationStatus().getLong("lag") == 0, () -> "lag " + destinationStatus());
    assertEquals(expected, amplitude.ingested.keySet(), "every event, and none under another insert_id");
    Map<String, Integer> repeated = new TreeMap<>();
    amplitude.sends.forEach((id, n) -> {
      if (n.get() != 1) repeated.put(id, n.get());
    });
    assertEquals(Map.of(), repeated, "each insert_id sent exactly once (insert_id=sends)");
    assertEquals(Set.of(200), amplitude.statuses.keySet(), "Amplitude never refused anything: " + amplitude.statuses);
    for (Sent s : sent.values()) assertMapped(s);

    JsonObject status = destinationStatus();
    assertEquals(10_000, status.getLong("delivered"), status.encode());
    assertEquals(0, status.getLong("deadLettered"));
    assertFalse(status.encode().contains(AMPLITUDE_KEY), "the API key never shows");
  }

  /** The complete herald.yaml of "Send your events to Amplitude" loads, validates and builds its destination. */
  @Test
  void theDocumentedHeraldYamlIsValid() throws Exception {
    String yaml = null;
    for (Path doc : List.of(Path.of("../docs/amplitude.md"), Path.of("../README.md"))) {
      if (!Files.exists(doc)) continue;
      String text = Files.readString(doc);
      int section = text.indexOf("## Send your events to Amplitude");
      if (section < 0) continue;
      int start = text.indexOf("```yaml\n", section);
      yaml = text.substring(start + "```yaml\n".length(), text.indexOf("```", start + 7));
      break;
    }
    assertTrue(yaml != null, "no \"Send your events to Amplitude\" section with a yaml block in docs/amplitude.md or README.md");
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("HERALD_ADMIN_TOKEN", "t", "WEB_WRITE_KEY", "w",
        "AMPLITUDE_API_KEY", AMPLITUDE_KEY)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    try (PluginCatalog plugins = PluginCatalog.load(dir.resolve("plugins"))) {
      ValidConfig valid = ConfigValidator.validate(loaded, plugins);
      ResolvedDestination amplitudeDestination = valid.destinations().get(0);
      assertEquals("amplitude", amplitudeDestination.config().type());
      HeraldDestinationContext context = new HeraldDestinationContext("amplitude", vertx, amplitudeDestination.effectiveConfig());
      try {
        assertEquals(2000, amplitudeDestination.factory().create(context).limits().maxEvents());
      } finally {
        context.close();
      }
    }
  }

  private Map<String, Sent> sendEveryType(int count) {
    Analytics analytics = Analytics.builder(WRITE_KEY).endpoint("http://127.0.0.1:" + herald.ingestPort()).build();
    Map<String, Sent> sent = new HashMap<>();
    long now = System.currentTimeMillis();
    Map<String, Object> context = Map.of("app", Map.of("version", "4.2.0"), "os", Map.of("name", "iOS", "version", "17.4"),
        "ip", "203.0.113.9");
    try {
      for (int i = 0; i < count; i++) {
        String messageId = new UUID(random.nextLong(), random.nextLong()).toString();
        String userId = "user-" + (i % 97);
        long timestamp = now - (i % 1000);
        Map<String, Object> props = Map.of("n", i);
        MessageBuilder<?, ?> message;
        String type;
        String extra = null;
        switch (i % 6) {
          case 0 -> {
            type = "track";
            message = TrackMessage.builder("Order Completed").properties(props);
          }
          case 1 -> {
            type = "identify";
            message = IdentifyMessage.builder().traits(Map.of("plan", "pro", "n", i));
          }
          case 2 -> {
            type = "page";
            message = PageMessage.builder("Pricing").properties(props);
          }
          case 3 -> {
            type = "screen";
            message = ScreenMessage.builder("Checkout").properties(props);
          }
          case 4 -> {
            type = "group";
            extra = "acme-" + (i % 10);
            message = GroupMessage.builder(extra).traits(Map.of("name", "Acme " + (i % 10), "n", i));
          }
          default -> {
            type = "alias";
            extra = "anon-previous-" + i;
            message = AliasMessage.builder(extra);
          }
        }
        message.userId(userId).messageId(messageId).timestamp(new Date(timestamp)).context(context);
        analytics.enqueue(message);
        sent.put(messageId, new Sent(type, messageId, userId, i, timestamp, extra));
      }
      analytics.flush();
    } finally {
      analytics.shutdown();
    }
    return sent;
  }

  private void assertMapped(Sent s) {
    JsonObject e = amplitude.ingested.get(s.messageId());
    String what = s + " → " + e;
    assertEquals(s.messageId(), e.getString("insert_id"), what);
    assertEquals(s.userId(), e.getString("user_id"), what);
    assertTrue(Math.abs(e.getLong("time") - s.timestamp()) <= 5_000, "time within skew correction: " + what);
    assertEquals("4.2.0", e.getString("app_version"), what);
    assertEquals("iOS", e.getString("os_name"), what);
    assertEquals("17.4", e.getString("os_version"), what);
    assertTrue(e.getString("library", "").startsWith("analytics-java/"), what);
    switch (s.type()) {
      case "track" -> {
        assertEquals("Order Completed", e.getString("event_type"), what);
        assertEquals(s.n(), e.getJsonObject("event_properties").getInteger("n"), what);
      }
      case "identify" -> {
        assertEquals("$identify", e.getString("event_type"), what);
        assertEquals(new JsonObject().put("plan", "pro").put("n", s.n()), e.getJsonObject("user_properties").getJsonObject("$set"), what);
      }
      case "page" -> {
        assertEquals("Viewed Pricing Page", e.getString("event_type"), what);
        assertEquals(s.n(), e.getJsonObject("event_properties").getInteger("n"), what);
      }
      case "screen" -> {
        assertEquals("Viewed Checkout Screen", e.getString("event_type"), what);
        assertEquals(s.n(), e.getJsonObject("event_properties").getInteger("n"), what);
      }
      case "group" -> {
        assertEquals("$identify", e.getString("event_type"), what);
        assertEquals(new JsonObject().put("group", s.extra()), e.getJsonObject("groups"), what);
        JsonObject properties = amplitude.ingested.get(s.messageId() + "-group");
        assertEquals("$groupidentify", properties.getString("event_type"), what);
        assertEquals(new JsonObject().put("group", s.extra()), properties.getJsonObject("groups"), what);
        assertEquals(s.n(), properties.getJsonObject("group_properties").getJsonObject("$set").getInteger("n"), what);
      }
      case "alias" -> {
        assertEquals("$identify", e.getString("event_type"), what);
        assertEquals(s.extra(), e.getString("device_id"), what);
      }
      default -> throw new AssertionError(what);
    }
  }

  private JsonObject destinationStatus() {
    JsonArray all = await(client.get(herald.adminPort(), "127.0.0.1", "/admin/destinations")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send()).bodyAsJsonObject().getJsonArray("destinations");
    for (int i = 0; i < all.size(); i++) {
      if ("amplitude".equals(all.getJsonObject(i).getString("id"))) return all.getJsonObject(i);
    }
    throw new AssertionError("no amplitude destination in " + all);
  }

  /**
   * Amplitude's HTTP V2 API by its documented rules (a minimal copy of destination-amplitude's
   * contract server): {@code POST /2/httpapi} with JSON, a known {@code api_key}, 1 to 2000
   * events and under 1 MB (else 413), each with an {@code event_type}, a user_id or device_id of
   * at least 5 characters and an integer {@code time}; answers carry {@code code} in the body.
   * Keeps the first event per {@code insert_id}, as Amplitude does, and counts how many times
   * each {@code insert_id} was sent.
   */
  static final class AmplitudeServer {
    final Map<String, JsonObject> ingested = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    HttpServer server;

    static Future<AmplitudeServer> start(Vertx vertx) {
      AmplitudeServer self = new AmplitudeServer();
      return vertx.createHttpServer()
          .requestHandler(req -> req.body().onSuccess(body -> self.handle(req, body)))
          .listen(0, "127.0.0.1")
          .map(s -> {
            self.server = s;
            return self;
          });
    }

    private void handle(HttpServerRequest req, Buffer body) {
      JsonObject answer = answer(req, body);
      int code = answer.getInteger("code");
      statuses.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
      req.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(answer.encode());
    }

    private JsonObject answer(HttpServerRequest req, Buffer body) {
      if (!req.path().equals("/2/httpapi")) return error(400, "Invalid request path");
      if (!"application/json".equals(req.getHeader("Content-Type"))) return error(400, "Invalid Content-Type");
      if (body.length() >= 1_000_000) return error(413, "Payload too large");
      JsonObject request;
      try {
        request = new JsonObject(body);
      } catch (RuntimeException e) {
        return error(400, "Invalid JSON request body");
      }
      if (!(request.getValue("api_key") instanceof String key)) return error(400, "Request missing required field").put("missing_field", "api_key");
      if (!(request.getValue("events") instanceof JsonArray events) || events.isEmpty()) {
        return error(400, "Request missing required field").put("missing_field", "events");
      }
      if (!AMPLITUDE_KEY.equals(key)) return error(400, "Invalid API key");
      if (events.size() > 2000) return error(413, "Payload too large");
      JsonObject invalid = new JsonObject();
      for (int i = 0; i < events.size(); i++) {
        JsonObject e = events.getJsonObject(i);
        String userId = e.getString("user_id");
        String deviceId = e.getString("device_id");
        boolean bad = e.getString("event_type") == null || (userId == null && deviceId == null)
            || (userId != null && userId.length() < 5) || (deviceId != null && deviceId.length() < 5)
            || !(e.getValue("time") instanceof Number t && t.longValue() == t.doubleValue());
        if (bad) invalid.put(String.valueOf(i), e.encode());
      }
      if (!invalid.isEmpty()) return error(400, "Invalid field values on some events").put("events_with_invalid_fields", invalid);
      int fresh = 0;
      for (int i = 0; i < events.size(); i++) {
        JsonObject e = events.getJsonObject(i);
        String insertId = e.getString("insert_id", "none-" + sends.size());
        sends.computeIfAbsent(insertId, id -> new AtomicInteger()).incrementAndGet();
        if (ingested.putIfAbsent(insertId, e) == null) fresh++;
      }
      return new JsonObject().put("code", 200).put("events_ingested", fresh).put("payload_size_bytes", body.length())
          .put("server_upload_time", System.currentTimeMillis());
    }

    private static JsonObject error(int code, String message) {
      return new JsonObject().put("code", code).put("error", message);
    }
  }
}
