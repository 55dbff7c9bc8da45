package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.router.RunnerStatus;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Heralds in one process, each with its own log and the real plugin JARs: A forwards what its
 * sources send to B with the {@code segment} destination (gzip-compressed requests, which B's
 * ingest inflates); B writes what it receives to a file. Every messageId sent to A is in B's file
 * once, its type, properties and traits unchanged, also when B is down for a while and comes back
 * on the same port.
 */
@ExtendWith({VertxExtension.class, SeededRandom.class})
class SegmentForwardingChainTest {

  private static final String A_KEY = "chain-a-write-key";
  private static final String B_KEY = "chain-b-write-key-for-a";
  /** What the comparison leaves out: fields each Herald sets on receipt. */
  private static final List<String> RECEIPT_FIELDS = List.of("receivedAt", "sentAt", "timestamp", "originalTimestamp", "context");

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private Random random;
  private Herald a;
  private Herald b;
  private int bPort;

  @BeforeEach
  void setUp(Vertx vertx, Random random) throws Exception {
    this.vertx = vertx;
    this.random = random;
    client = WebClient.create(vertx);
    ReceivingHerald.copyPlugins(dir);
    bPort = Ports.free();
  }

  @AfterEach
  void tearDown() {
    if (a != null) a.stop().await();
    if (b != null) b.stop().await();
    client.close();
  }

  private Herald startForwarder(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("a.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("B_WRITE_KEY", B_KEY)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    return Polling.await(Herald.start(vertx, loaded));
  }

  private Herald startB() throws Exception {
    return ReceivingHerald.start(vertx, dir, bPort, B_KEY);
  }

  private Herald startA() throws Exception {
    return startForwarder("""
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: "%s" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
          - id: to-b
            type: segment
            config: { endpoint: "http://127.0.0.1:%d", writeKey: "${{ secrets.B_WRITE_KEY }}", gzip: true, timeoutMs: 5000 }
            delivery:
              batchEvents: 300
              lingerMs: 20
              retry: { initialBackoff: 100ms, maxBackoff: 1s }
              breaker: { failures: 3, reset: 1s }
        """.formatted(Ports.free(), A_KEY, dir.resolve("a-data"), dir.resolve("plugins"), bPort));
  }

  /** Posts {@code count} events of every type to A in batches, as an SDK would; returns them by messageId. */
  private Map<String, JsonObject> sendToA(int count) {
    Map<String, JsonObject> sent = new LinkedHashMap<>();
    String timestamp = Instant.now().minusSeconds(3_600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < count; i++) {
      String messageId = new UUID(random.nextLong(), random.nextLong()).toString();
      JsonObject data = new JsonObject().put("n", i).put("price", random.nextInt(10_000) / 100.0)
          .put("tags", new JsonArray().add("t" + random.nextInt(5))).put("nested", new JsonObject().put("ok", i % 2 == 0));
      JsonObject event = new JsonObject().put("messageId", messageId).put("userId", "user-" + random.nextInt(50))
          .put("timestamp", timestamp).put("integrations", new JsonObject().put("All", true));
      switch (i % 6) {
        case 0 -> event.put("type", "track").put("event", "Order Completed").put("properties", data);
        case 1 -> event.put("type", "identify").put("traits", data);
        case 2 -> event.put("type", "page").put("name", "Pricing").put("properties", data);
        case 3 -> event.put("type", "screen").put("name", "Checkout").put("properties", data);
        case 4 -> event.put("type", "group").put("groupId", "acme-" + i % 7).put("traits", data);
        default -> event.put("type", "alias").put("previousId", "anon-" + i);
      }
      sent.put(messageId, event);
      batch.add(event);
      if (batch.size() == 250 || i == count - 1) {
        JsonObject body = new JsonObject().put("batch", batch).put("sentAt", Instant.now().toString())
            .put("context", new JsonObject().put("library", new JsonObject().put("name", "chain-test")));
        int status = Polling.await(client.post(a.ingestPort(), "127.0.0.1", "/v1/batch").basicAuthentication(A_KEY, "")
            .sendJsonObject(body)).statusCode();
        assertEquals(200, status);
        batch = new JsonArray();
      }
    }
    return sent;
  }

  private Map<String, List<JsonObject>> archived() {
    return ReceivingHerald.received(dir);
  }

  private void awaitArchived(Map<String, JsonObject> sent) throws Exception {
    Polling.until(Duration.ofSeconds(120), () -> archived().keySet().containsAll(sent.keySet()),
        () -> "B's file holds " + archived().size() + " of " + sent.size() + "; A: " + a.router().statuses());
    Polling.until(Duration.ofSeconds(30), () -> a.router().statuses().get(0).lag() == 0 && b.router().statuses().get(0).lag() == 0,
        () -> "A " + a.router().statuses() + ", B " + b.router().statuses());
  }

  /** Each sent event once in B's file, unchanged but for what each Herald sets on receipt. */
  private void assertArchivedOnceUnchanged(Map<String, JsonObject> sent) {
    Map<String, List<JsonObject>> archived = archived();
    Map<String, Integer> notOnce = new TreeMap<>();
    archived.forEach((id, copies) -> {
      if (copies.size() != 1) notOnce.put(id, copies.size());
    });
    assertEquals(Map.of(), notOnce, "messageIds in B's file more than once");
    assertEquals(sent.keySet(), archived.keySet(), "B holds exactly what A was sent");
    for (JsonObject original : sent.values()) {
      JsonObject arrived = archived.get(original.getString("messageId")).get(0).copy();
      String what = original.encode() + " → " + arrived.encode();
      assertEquals(original.getString("timestamp"), Instant.parse(arrived.getString("originalTimestamp")).toString(),
          "the client's time kept: " + what);
      long shift = Duration.between(Instant.parse(original.getString("timestamp")),
          Instant.parse(arrived.getString("timestamp"))).abs().toMillis();
      assertTrue(shift <= 5_000, "the event's time is not moved by the forwarding (" + shift + " ms): " + what);
      assertEquals("chain-test", arrived.getJsonObject("context").getJsonObject("library").getString("name"), what);
      JsonObject expected = original.copy();
      RECEIPT_FIELDS.forEach(f -> {
        expected.remove(f);
        arrived.remove(f);
      });
      assertEquals(expected, arrived, "type, properties and traits unchanged: " + what);
    }
  }

  private RunnerStatus forwarder() {
    return a.router().statuses().get(0);
  }

  @Test
  void everyMessageIdSentToAArrivesOnceInBsFileWithTypePropertiesAndTraitsUnchanged() throws Exception {
    b = startB();
    a = startA();
    Map<String, JsonObject> sent = sendToA(3_000);

    awaitArchived(sent);
    assertArchivedOnceUnchanged(sent);
    assertEquals(3_000, forwarder().delivered(), forwarder().toString());
    assertEquals(0, forwarder().deadLettered());
  }

  @Test
  void whileBIsDownAKeepsRetryingAndOnceBIsBackOnTheSamePortNothingIsLost() throws Exception {
    b = startB();
    a = startA();
    Map<String, JsonObject> sent = sendToA(300);
    awaitArchived(sent);

    Polling.await(b.stop());
    b = null;
    sent.putAll(sendToA(600));
    Polling.until(Duration.ofSeconds(60), () -> forwarder().retried() > 0 && forwarder().lastError() != null,
        () -> "A never found B gone: " + forwarder());
    assertTrue(forwarder().lastError().contains("127.0.0.1:" + bPort), forwarder().lastError());
    assertTrue(forwarder().lag() > 0, "A holds the events B has not taken: " + forwarder());

    b = startB();
    awaitArchived(sent);
    assertArchivedOnceUnchanged(sent);
    assertEquals(0, forwarder().deadLettered(), forwarder().toString());
  }
}
