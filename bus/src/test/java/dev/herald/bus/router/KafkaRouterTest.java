package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.log.kafka.KafkaEventLog;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Destination runners on the Kafka log: two nodes (two Vert.x instances, each with its own log
 * client and router) share one destination's partitions through its consumer group; one joins
 * mid-stream and the other leaves mid-stream.
 */
@ExtendWith(VertxExtension.class)
class KafkaRouterTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private static final int BATCH = 20;
  private static final int IN_FLIGHT = 2;

  @Test
  void twoNodesShareADestinationAndEveryEventArrivesInEachUsersOrder(Vertx vertx) {
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.ok().delayed(n % 4 == 0 ? 5 : 0));
    int port = server.start();
    KafkaLogOptions options = KafkaLogOptions.defaults(KAFKA.bootstrapServers())
        .withTopic("router-" + UUID.randomUUID()).withPartitions(6).withSessionTimeout(Duration.ofSeconds(6));
    Node a = new Node(options, port);
    Node b = null;
    try {
      List<Event> sent = new ArrayList<>();
      a.append(sent, 0, 1500);
      eventually(() -> "node a delivering", () -> server.deliveredCount() >= 200);

      b = new Node(options, port);
      b.append(sent, 1500, 1500);
      Node joined = b;
      // Keep events coming until b owns partitions: on a quiet machine a can drain everything
      // appended so far before the rebalance hands b its share.
      int next = 3000;
      long joinDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (joined.router.statuses().get(0).delivered() == 0) {
        assertTrue(System.nanoTime() < joinDeadline, "node b never delivered: a " + a.router.statuses()
            + ", b " + joined.router.statuses());
        int target = sent.size();
        eventually(Duration.ofSeconds(30), () -> "delivery keeps up: " + server.deliveredCount() + " of " + target,
            () -> server.deliveredCount() >= target || joined.router.statuses().get(0).delivered() > 0);
        b.append(sent, next, 100);
        next += 100;
      }
      assertTrue(a.router.statuses().get(0).delivered() > 0);

      TestSupport.undeploy(a.vertx, a.router); // leaves the group: its partitions move to b
      a.close();
      b.append(sent, next, 1000);

      Set<String> expected = new HashSet<>();
      sent.forEach(e -> expected.add(e.messageId()));
      eventually(Duration.ofSeconds(60), () -> "all " + expected.size() + " delivered, got " + distinct(server.delivered()).size(),
          () -> distinct(server.delivered()).containsAll(expected));
      eventually(() -> "lag 0 on b: " + joined.router.statuses(), () -> joined.router.statuses().get(0).lag() == 0);

      List<JsonObject> delivered = server.delivered();
      Map<String, Integer> lastFirstSeq = new HashMap<>();
      Set<String> seen = new HashSet<>();
      for (JsonObject e : delivered) {
        if (!seen.add(e.getString("messageId"))) continue;
        int seq = e.getJsonObject("properties").getInteger("seq");
        Integer previous = lastFirstSeq.put(e.getString("userId"), seq);
        assertTrue(previous == null || previous < seq, e.getString("userId") + ": " + previous + " then " + seq);
      }
      int duplicates = delivered.size() - seen.size();
      // Only what was in flight when partitions moved may come twice: each hand-over commits the rest.
      assertTrue(duplicates <= 2 * 6 * BATCH * IN_FLIGHT, duplicates + " duplicates");
      System.out.println("KafkaRouterTest: " + delivered.size() + " deliveries of " + seen.size()
          + " events, " + duplicates + " duplicates");
      assertEquals(0, await(b.log.openDeadLetters("shared")).count());
      assertEquals(List.of(), await(await(b.log.openDeadLetters("shared")).list(DeadLetterQuery.firstPage())));
    } finally {
      if (b != null) b.close();
      a.close();
      await(server.close());
    }
  }

  private static Set<String> distinct(List<JsonObject> delivered) {
    Set<String> ids = new HashSet<>();
    delivered.forEach(e -> ids.add(e.getString("messageId")));
    return ids;
  }

  /** One Herald node's bus: its own Vert.x, Kafka log client and router. */
  private static final class Node {
    final Vertx vertx = Vertx.vertx();
    final KafkaEventLog log;
    final Router router;
    private boolean closed;

    Node(KafkaLogOptions options, int port) {
      log = await(KafkaEventLog.open(vertx, options));
      DeliveryPolicy policy = new DeliveryPolicy(BATCH, 5, IN_FLIGHT, Duration.ofMillis(5), Duration.ofMillis(50),
          Duration.ofHours(1), 0, 5, Duration.ofMillis(300));
      router = new Router(log, log::openDeadLetters,
          List.of(new RouteSpec("shared", "http", new HttpTestDestination(vertx, port), null, policy)));
      await(vertx.deployVerticle(router));
    }

    void append(List<Event> sent, int from, int count) {
      for (int i = from; i < from + count; i += 50) {
        List<Event> batch = new ArrayList<>();
        for (int j = i; j < i + 50; j++) batch.add(track("user" + (j % 40), "Order Completed", j));
        await(log.append(batch));
        sent.addAll(batch);
      }
    }

    void close() {
      if (closed) return;
      closed = true;
      TestSupport.undeploy(vertx, router);
      await(log.close());
      await(vertx.close());
    }
  }
}
