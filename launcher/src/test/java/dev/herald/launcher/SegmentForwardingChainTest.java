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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * sources send to B with the {@code segment} destination; B writes what it receives to a file.
 * Every messageId sent to A is in B's file once, its type, properties and traits unchanged, also
 * when B is down for a while and comes back on the same port.
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
    PluginJars.copyInto(dir.resolve("plugins"));
    bPort = Ports.free();
  }

  @AfterEach
  void tearDown() {
    if (a != null) a.stop().await();
    if (b != null) b.stop().await();
    client.close();
  }

  private Herald start(String name, String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("B_WRITE_KEY", B_KEY)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    return Polling.await(Herald.start(vertx, loaded));
  }

  private Herald startB() throws Exception {
    return start("b", """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: herald-a, writeKey: "%s" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
          - { id: archive, type: file, config: { path: "%s" }, delivery: { lingerMs: 20 } }
        """.formatted(bPort, B_KEY, dir.resolve("b-data"), dir.resolve("plugins"), dir.resolve("b-archive.ndjson")));
  }

  private Herald startA() throws Exception {
    return start("a", """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: "%s" }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        destinations:
          - id: to-b
            type: segment
            config: { endpoint: "http://127.0.0.1:%d", writeKey: "${{ secrets.B_WRITE_KEY }}", timeoutMs: 5000 }
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

  /** B's file, each stored event by messageId, with how many times each came. */
  private Map<String, List<JsonObject>> archived() throws IOException {
    Map<String, List<JsonObject>> byId = new HashMap<>();
    Path file = dir.resolve("b-archive.ndjson");
    if (!Files.exists(file)) return byId;
    String text = Files.readString(file);
    // B may be writing the last line right now: only whole lines count.
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.isBlank()) continue;
      JsonObject e = new JsonObject(line);
      byId.computeIfAbsent(e.getString("messageId"), k -> new ArrayList<>()).add(e);
    }
    return byId;
  }

  private void awaitArchived(Map<String, JsonObject> sent) throws Exception {
    Polling.until(Duration.ofSeconds(120), () -> {
      try {
        return archived().keySet().containsAll(sent.keySet());
      } catch (IOException e) {
        return false;
      }
    }, () -> "B's file holds " + uncheckedArchivedCount() + " of " + sent.size() + "; A: " + a.router().statuses());
    Polling.until(Duration.ofSeconds(30), () -> a.router().statuses().get(0).lag() == 0 && b.router().statuses().get(0).lag() == 0,
        () -> "A " + a.router().statuses() + ", B " + b.router().statuses());
  }

  private int uncheckedArchivedCount() {
    try {
      return archived().size();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Each sent event once in B's file, unchanged but for what each Herald sets on receipt. */
  private void assertArchivedOnceUnchanged(Map<String, JsonObject> sent) throws IOException {
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
