package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Herald in-process with the real plugin JARs, fed by Segment's official Java client,
 * delivering to a real HTTP server. Ingest listens on a port it names, so it runs as in
 * production: one instance per core sharing that port. Without a crash every event arrives
 * exactly once, retries and breaker included.
 */
@ExtendWith({VertxExtension.class, SeededRandom.class})
class HeraldEndToEndTest {

  private static final String WRITE_KEY = "e2e-write-key";
  private static final String ADMIN_TOKEN = "e2e-admin-token";

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private Random random;
  private Herald herald;
  private final List<DestinationServer> servers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, Random random) throws Exception {
    this.vertx = vertx;
    this.random = random;
    this.client = WebClient.create(vertx);
    PluginJars.copyInto(dir.resolve("plugins"));
  }

  @AfterEach
  void tearDown() {
    if (herald != null) await(herald.stop());
    servers.forEach(s -> await(s.close()));
  }

  private DestinationServer destination() {
    DestinationServer s = await(DestinationServer.start(vertx, 0));
    servers.add(s);
    return s;
  }

  private Herald startHerald(String destinations) throws Exception {
    int ingestPort = Ports.free();
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0, token: "${{ secrets.ADMIN_TOKEN }}" }
        sources: [{ id: backend, writeKey: "${{ secrets.WRITE_KEY }}" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
        %s
        """.formatted(ingestPort, dir.resolve("data"), dir.resolve("plugins"), destinations.indent(2));
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "WRITE_KEY", WRITE_KEY)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    herald = await(Herald.start(vertx, loaded));
    assertEquals(ingestPort, herald.ingestPort(), "ingest on the port it names, one instance per core");
    return herald;
  }

  private static String httpDestination(String id, DestinationServer server, String delivery) {
    return """
        - id: %s
          type: http
          config: { endpoint: "http://127.0.0.1:%d/events" }
          delivery: %s
        """.formatted(id, server.port(), delivery);
  }

  private Set<String> sendWithSegmentClient(int count) {
    Analytics analytics = Analytics.builder(WRITE_KEY).endpoint("http://127.0.0.1:" + herald.ingestPort()).build();
    Set<String> ids = new HashSet<>();
    try {
      for (int i = 0; i < count; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        ids.add(id);
        analytics.enqueue(TrackMessage.builder("Order Completed").userId("user-" + (i % 97)).messageId(id)
            .properties(Map.of("n", i)));
      }
      analytics.flush();
    } finally {
      analytics.shutdown();
    }
    return ids;
  }

  private JsonObject destinationStatus(String id) {
    JsonArray all = await(client.get(herald.adminPort(), "127.0.0.1", "/admin/destinations")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send()).bodyAsJsonObject().getJsonArray("destinations");
    for (int i = 0; i < all.size(); i++) {
      if (id.equals(all.getJsonObject(i).getString("id"))) return all.getJsonObject(i);
    }
    throw new AssertionError("no destination " + id + " in " + all);
  }

  @Test
  void tenThousandEventsFromSegmentsJavaClientArriveExactlyOnceEach() throws Exception {
    DestinationServer server = destination();
    startHerald(httpDestination("hook", server, "{ batchEvents: 500, lingerMs: 20 }"));

    Set<String> sent = sendWithSegmentClient(10_000);

    Polling.until(Duration.ofSeconds(90), () -> server.receivedAll(sent),
        () -> server.received().size() + " of " + sent.size() + " delivered");
    Polling.until(Duration.ofSeconds(10), () -> destinationStatus("hook").getLong("lag") == 0,
        () -> "lag " + destinationStatus("hook"));
    server.assertEachArrivedExactlyOnce(sent);
    JsonObject status = destinationStatus("hook");
    assertEquals(10_000, status.getLong("delivered"), status.encode());
    assertEquals(0L, status.getJsonObject("lost").getLong("retention"), status.encode());
    assertEquals(0L, status.getJsonObject("lost").getLong("damaged"), status.encode());
    assertEquals("RUNNING", status.getString("state"), status.encode());
    assertTrue(status.containsKey("suspect") && status.getValue("suspect") == null, status.encode());
    assertFalse(status.encode().contains(WRITE_KEY));
  }

  @Test
  void aFailingDestinationOpensTheBreakerAndLosesNothing() throws Exception {
    DestinationServer server = destination();
    server.status.set(503);
    startHerald(httpDestination("flaky", server,
        "{ batchEvents: 50, lingerMs: 5, retry: { initialBackoff: 50ms, maxBackoff: 200ms }, breaker: { failures: 3, reset: 500ms } }"));

    Set<String> sent = sendWithSegmentClient(300);
    Polling.until(Duration.ofSeconds(30), () -> "OPEN".equals(destinationStatus("flaky").getString("breaker")),
        () -> "breaker never opened: " + destinationStatus("flaky"));
    assertEquals(Set.of(), server.received());

    server.status.set(200);
    Polling.until(Duration.ofSeconds(60), () -> server.receivedAll(sent),
        () -> server.received().size() + " of " + sent.size() + " delivered");
    Polling.until(Duration.ofSeconds(10), () -> "CLOSED".equals(destinationStatus("flaky").getString("breaker")),
        () -> "breaker never closed: " + destinationStatus("flaky"));
    Polling.until(Duration.ofSeconds(10), () -> destinationStatus("flaky").getLong("lag") == 0,
        () -> "lag " + destinationStatus("flaky"));
    server.assertEachArrivedExactlyOnce(sent);
    assertEquals(0, destinationStatus("flaky").getLong("deadLettered"));
  }

  @Test
  void aRejectedEventIsListedInTheDeadLetters() throws Exception {
    DestinationServer server = destination();
    server.status.set(400);
    startHerald(httpDestination("strict", server, "{ batchEvents: 10, lingerMs: 5 }"));

    Set<String> sent = sendWithSegmentClient(1);
    String messageId = sent.iterator().next();
    String path = "/admin/destinations/strict/dead-letters?messageId=" + messageId;
    JsonArray[] letters = {new JsonArray()};
    Polling.until(Duration.ofSeconds(30), () -> {
      letters[0] = await(client.get(herald.adminPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + ADMIN_TOKEN)
          .send()).bodyAsJsonObject().getJsonArray("deadLetters");
      return !letters[0].isEmpty();
    }, () -> "no dead letter yet");
    JsonObject letter = letters[0].getJsonObject(0);
    assertEquals(messageId, letter.getString("messageId"));
    assertEquals(400, letter.getInteger("status"));
    assertFalse(letter.getString("reason").isBlank());

    int unknown = await(client.get(herald.adminPort(), "127.0.0.1", "/admin/destinations/nope/dead-letters")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send()).statusCode();
    assertEquals(404, unknown);
  }
}
