package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Herald on Kafka as operators run it: fat-JAR nodes (child processes) on one real broker.
 * Two nodes share a destination's partitions and one dies by SIGKILL mid-stream; then the broker
 * is stopped for 20 s under load. Every event a node acknowledged must arrive at the destination.
 * Their deadlines add up to more than the suite's default, hence ten minutes each.
 */
@ExtendWith(SeededRandom.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaScaleOutIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.perClass();

  private static final String WRITE_KEY = "scale-write-key";
  private static final int BATCH = 50;

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private Random random;
  private Destination destination;
  private final List<HeraldProcess> nodes = new ArrayList<>();
  private final Map<String, AtomicInteger> seqByUser = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(Random random) {
    this.random = random;
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(30));
    destination = await(Destination.start(vertx));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (HeraldProcess node : nodes) {
      if (node.process.isAlive()) node.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    await(destination.server.close());
    await(vertx.close());
  }

  @Test
  void twoNodesShareTheWorkAndEveryAcknowledgedEventArrivesAfterOneIsKilled() throws Exception {
    String topic = "scale-out";
    HeraldProcess a = startNode("a", topic);
    HeraldProcess b = startNode("b", topic);
    int portA = a.awaitStarted(Duration.ofSeconds(60));
    int portB = b.awaitStarted(Duration.ofSeconds(60));
    // Both in the group before any event exists: the kill is the only time partitions move with work on them.
    Polling.until(Duration.ofSeconds(60), () -> a.log().contains("assigned partitions") && b.log().contains("assigned partitions"),
        () -> "both nodes holding partitions:\n" + a.log() + "\n" + b.log());

    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < 16; i++) acknowledged.addAll(postOk(i % 2 == 0 ? portA : portB, BATCH));
    Polling.until(Duration.ofSeconds(60), () -> destination.deliveriesBy("a") > 0 && destination.deliveriesBy("b") > 0,
        () -> "both nodes delivering: " + destination.summary() + "\n" + a.log() + "\n" + b.log());
    for (int i = 16; i < 24; i++) acknowledged.addAll(postOk(i % 2 == 0 ? portA : portB, BATCH));

    a.process.destroyForcibly(); // SIGKILL: no hand-over, no final commit
    assertTrue(a.process.waitFor(30, TimeUnit.SECONDS));
    // A request the node wrote just before it died may still be read by the busy destination a
    // little later: what counts is that the dead node started nothing new.
    long killedAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (int i = 24; i < 50; i++) acknowledged.addAll(postOk(portB, BATCH));

    Polling.until(Duration.ofSeconds(90), () -> destination.messageIds().containsAll(acknowledged),
        () -> missing(acknowledged) + " acknowledged events not delivered: " + destination.summary() + "\n" + b.log());

    // Only events the killed node had delivered without committing their offsets come twice.
    List<Delivery> deliveries = destination.deliveries();
    Map<String, Delivery> first = new HashMap<>();
    int duplicates = 0;
    for (Delivery d : deliveries) {
      Delivery earlier = first.putIfAbsent(d.messageId(), d);
      if (earlier == null) continue;
      duplicates++;
      assertEquals("a", earlier.node(), "a duplicate first delivered by the surviving node: " + d);
      assertTrue(earlier.atNanos() <= killedAt, "first delivered by the killed node well after its death: " + d);
      assertEquals("b", d.node(), "re-delivered by the surviving node");
    }
    assertOrderPerUser(deliveries);
    System.out.printf("KafkaScaleOutIT: %d events acknowledged, %d deliveries (a %d, b %d), %d duplicates%n",
        acknowledged.size(), deliveries.size(), destination.deliveriesBy("a"), destination.deliveriesBy("b"), duplicates);

    b.process.destroy();
    assertTrue(b.process.waitFor(60, TimeUnit.SECONDS), "node b did not stop on SIGTERM");
    assertEquals(0, b.process.exitValue(), b.log());
  }

  @Test
  void aTwentySecondBrokerOutageIsAnswered503AndLosesNothingAcknowledged() throws Exception {
    HeraldProcess node = startNode("c", "outage");
    int port = node.awaitStarted(Duration.ofSeconds(60));
    List<Attempt> attempts = new CopyOnWriteArrayList<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread load = new Thread(() -> {
      while (loading.get()) attempts.add(post(port, 20));
    }, "outage-load");
    load.start();
    try {
      Polling.until(Duration.ofSeconds(30), () -> okCount(attempts) >= 10, () -> "load running: " + attempts.size());
      KAFKA.broker().stop();
      long stoppedAt = System.nanoTime();
      Thread.sleep(20_000); // the outage itself: the broker stays down this long, under load
      long restartingAt = System.nanoTime();
      KAFKA.broker().start();
      int okBefore = okCount(attempts);
      Polling.until(Duration.ofSeconds(60), () -> okCount(attempts) >= okBefore + 20,
          () -> "ingest accepting again after the restart:\n" + node.log());
      loading.set(false);
      load.join(30_000);

      List<Attempt> duringOutage = attempts.stream()
          .filter(t -> t.sentAt() > stoppedAt && t.answeredAt() < restartingAt).toList();
      assertTrue(duringOutage.size() >= 10, "requests during the outage: " + duringOutage.size());
      for (Attempt t : duringOutage) {
        assertEquals(503, t.status(), "answered during the outage: " + t);
        assertEquals("5", t.retryAfter(), "503 carries Retry-After");
      }
      long fast = duringOutage.stream().filter(t -> t.answeredAt() - t.sentAt() < TimeUnit.SECONDS.toNanos(1)).count();
      System.out.printf("KafkaScaleOutIT: %d requests during the 20 s outage, all 503, %d answered within 1 s%n",
          duringOutage.size(), fast);

      Set<String> acknowledged = new HashSet<>();
      attempts.stream().filter(t -> t.status() == 200).forEach(t -> acknowledged.addAll(t.messageIds()));
      Polling.until(Duration.ofSeconds(90), () -> destination.messageIds().containsAll(acknowledged),
          () -> missing(acknowledged) + " acknowledged events not delivered: " + destination.summary() + "\n" + node.log());
      assertTrue(node.process.isAlive(), "the node rode out the outage");
    } finally {
      loading.set(false);
      load.join(30_000);
      if (!KAFKA.broker().isRunning()) KAFKA.broker().start();
    }
  }

  // ---- nodes and load ----

  private HeraldProcess startNode(String name, String topic) throws Exception {
    Path work = Files.createDirectories(dir.resolve(name));
    Path config = Files.writeString(work.resolve("herald.yaml"), """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        log:
          type: kafka
          kafka: { bootstrapServers: "%s", topic: %s, partitions: 6, appendTimeout: 3s, sessionTimeout: 6s }
        plugins: { dir: "%s" }
        destinations:
          - id: hook
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events", timeoutMs: 2000, headers: { X-Herald-Node: %s } }
            delivery: { batchEvents: 100, lingerMs: 5, retry: { initialBackoff: 100ms, maxBackoff: 1s }, breaker: { failures: 5, reset: 1s } }
        """.formatted(WRITE_KEY, KAFKA.bootstrapServers(), topic, PluginJars.source().toAbsolutePath(),
        destination.server.actualPort(), name));
    HeraldProcess node = HeraldProcess.start(Path.of(System.getProperty("herald.jar", "target/herald.jar")), config, work);
    nodes.add(node);
    return node;
  }

  private Set<String> postOk(int port, int events) {
    Attempt attempt = post(port, events);
    assertEquals(200, attempt.status(), "batch refused: " + attempt);
    return new HashSet<>(attempt.messageIds());
  }

  /** One /v1/batch of {@code events} events of 20 users, each user's events numbered in order. */
  private Attempt post(int port, int events) {
    JsonArray batch = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      String user = "u" + (i % 20);
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      ids.add(id);
      int seq = seqByUser.computeIfAbsent(user, u -> new AtomicInteger()).getAndIncrement();
      batch.add(new JsonObject().put("type", "track").put("event", "Scale Test").put("userId", user)
          .put("messageId", id).put("properties", new JsonObject().put("seq", seq)));
    }
    long sentAt = System.nanoTime();
    try {
      HttpResponse<Buffer> response = await(client.post(port, "127.0.0.1", "/v1/batch").basicAuthentication(WRITE_KEY, "")
          .timeout(15_000).sendJsonObject(new JsonObject().put("batch", batch)));
      return new Attempt(sentAt, System.nanoTime(), response.statusCode(), response.getHeader("Retry-After"), ids);
    } catch (RuntimeException e) {
      return new Attempt(sentAt, System.nanoTime(), -1, null, ids);
    }
  }

  private static int okCount(List<Attempt> attempts) {
    return (int) attempts.stream().filter(t -> t.status() == 200).count();
  }

  private long missing(Set<String> acknowledged) {
    Set<String> received = destination.messageIds();
    return acknowledged.stream().filter(id -> !received.contains(id)).count();
  }

  /** Each user's events, counting first deliveries only, arrive in the order they were sent. */
  private static void assertOrderPerUser(List<Delivery> deliveries) {
    Set<String> seen = new HashSet<>();
    Map<String, Integer> last = new HashMap<>();
    for (Delivery d : deliveries) {
      if (!seen.add(d.messageId())) continue;
      Integer previous = last.put(d.userId(), d.seq());
      assertTrue(previous == null || previous < d.seq(), d.userId() + ": " + previous + " then " + d.seq());
    }
  }

  private record Attempt(long sentAt, long answeredAt, int status, String retryAfter, List<String> messageIds) {
    @Override
    public String toString() {
      return "status " + status + " after " + TimeUnit.NANOSECONDS.toMillis(answeredAt - sentAt) + " ms";
    }
  }

  private record Delivery(String node, String messageId, String userId, int seq, long atNanos) {}

  /** The http destination's far end: records which node delivered what, and when. */
  private static final class Destination {
    final HttpServer server;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private Destination(HttpServer server) {
      this.server = server;
    }

    static Future<Destination> start(Vertx vertx) {
      Destination[] self = new Destination[1];
      HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        String node = req.getHeader("X-Herald-Node");
        long now = System.nanoTime();
        for (Object o : new JsonArray(body)) {
          JsonObject e = (JsonObject) o;
          self[0].deliveries.add(new Delivery(node, e.getString("messageId"), e.getString("userId"),
              e.getJsonObject("properties").getInteger("seq"), now));
        }
        req.response().setStatusCode(200).end("{}");
      }));
      self[0] = new Destination(server);
      return server.listen(0, "127.0.0.1").map(s -> self[0]);
    }

    List<Delivery> deliveries() {
      return List.copyOf(deliveries);
    }

    Set<String> messageIds() {
      Set<String> ids = new HashSet<>();
      deliveries.forEach(d -> ids.add(d.messageId()));
      return ids;
    }

    long deliveriesBy(String node) {
      return deliveries.stream().filter(d -> node.equals(d.node())).count();
    }

    String summary() {
      return deliveries.size() + " deliveries (a " + deliveriesBy("a") + ", b " + deliveriesBy("b") + ", c "
          + deliveriesBy("c") + "), " + (deliveries.size() - messageIds().size()) + " of them duplicates";
    }
  }
}
