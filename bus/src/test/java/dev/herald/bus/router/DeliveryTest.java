package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.fastPolicy;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Normal flow: exactly-once delivery, per-key order, batching, filtering, pause. */
@ExtendWith(VertxExtension.class)
class DeliveryTest {

  @TempDir Path dir;
  private Router router;
  private EventLog log;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (log != null) await(log.close());
  }

  private Router startRouter(Vertx vertx, RouteSpec... routes) {
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), routes);
    return router;
  }

  @Test
  void deliversEveryEventOnceAndKeepsEachKeysOrder(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx)
        .respond((n, events) -> CaptureServer.Reply.ok().delayed(n % 3 == 0 ? 15 : 1));
    int port = server.start();
    DeliveryPolicy policy = new DeliveryPolicy(7, 5, 3, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, policy));

    List<Event> sent = TestSupport.events(300, 11);
    for (int i = 0; i < sent.size(); i += 20) await(log.append(sent.subList(i, i + 20)));

    eventually(() -> "300 deliveries, got " + server.deliveredCount(), () -> server.deliveredCount() >= 300);
    eventually(() -> "lag 0: " + router.statuses(), () -> router.statuses().get(0).lag() == 0);
    List<JsonObject> delivered = server.delivered();
    assertEquals(300, delivered.size(), "each event exactly once");
    Set<String> ids = new HashSet<>();
    Map<String, Integer> lastSeq = new HashMap<>();
    for (JsonObject e : delivered) {
      assertTrue(ids.add(e.getString("messageId")), "duplicate " + e.getString("messageId"));
      int seq = e.getJsonObject("properties").getInteger("seq");
      Integer previous = lastSeq.put(e.getString("userId"), seq);
      assertTrue(previous == null || previous < seq, "order of " + e.getString("userId") + ": " + previous + " then " + seq);
    }
    RunnerStatus status = router.statuses().get(0);
    assertEquals(300, status.delivered());
    assertEquals(RunnerStatus.State.RUNNING, status.state());
    assertTrue(server.requests().stream().allMatch(r -> r.events().size() <= 7), "batches bounded by batchEvents");
    await(server.close());
  }

  @Test
  void lingerWaitsToFillABatchThenSendsThePartialOne(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    // A linger of seconds: five small appends fit in it even on a busy machine.
    long lingerMs = 3_000;
    DeliveryPolicy policy = new DeliveryPolicy(20, lingerMs, 1, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, policy));

    List<Event> sent = TestSupport.events(25, 3);
    long beforeLastAppend = 0;
    for (int i = 0; i < 25; i += 5) { // five small appends
      beforeLastAppend = System.nanoTime();
      await(log.append(sent.subList(i, i + 5)));
    }
    eventually(() -> "25 delivered", () -> server.deliveredCount() == 25);
    List<Integer> sizes = server.requests().stream().map(r -> r.events().size()).toList();
    assertEquals(List.of(20, 5), sizes, "a full batch of 20 gathered from small appends, then the rest after linger");
    // The last five were read after their append began: alone, they waited the linger out.
    long waitedMs = (server.requests().get(1).atNanos() - beforeLastAppend) / 1_000_000;
    assertTrue(waitedMs >= lingerMs, "a partial batch waits for lingerMs, waited " + waitedMs + " ms");
    await(server.close());
  }

  @Test
  void batchesRespectThePluginsLimits(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    List<Event> sent = TestSupport.events(40, 4);
    long eventBytes = sent.get(0).payloadBytes().length();
    // at most 6 events by count, and about 3 events by bytes
    Limits limits = new Limits(6, eventBytes * 3 + 10, true);
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port, limits), null,
        fastPolicy()));
    await(log.append(sent));
    eventually(() -> "40 delivered", () -> server.deliveredCount() == 40);
    for (CaptureServer.Request r : server.requests()) {
      assertTrue(r.events().size() <= 3, "bytes bound the batch: " + r.events().size());
    }
    await(server.close());
  }

  @Test
  void filteredEventsAreSettledButNotSent(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    EventFilter filter = new EventFilter(Set.of(), Set.of(), List.of("Order *"), List.of("Order Refunded"));
    startRouter(vertx, new RouteSpec("amp", "amplitude", new HttpTestDestination(vertx, port), filter, fastPolicy()));
    List<Event> events = new ArrayList<>();
    events.add(track("u1", "Order Completed", 0));
    events.add(track("u1", "Order Refunded", 1));
    events.add(track("u1", "Signed Up", 2));
    events.add(track("u1", "Order Completed", 3, java.time.Instant.now(),
        new JsonObject().put("integrations", new JsonObject().put("All", false).put("Amplitude", true))));
    events.add(track("u1", "Order Completed", 4, java.time.Instant.now(),
        new JsonObject().put("integrations", new JsonObject().put("amp", false))));
    events.add(track("u1", "Order Placed", 5, java.time.Instant.now(),
        new JsonObject().put("integrations", new JsonObject().put("All", false))));
    await(log.append(events));
    eventually(() -> "lag 0: " + router.statuses(), () -> router.statuses().get(0).lag() == 0);
    List<Integer> seqs = server.delivered().stream().map(e -> e.getJsonObject("properties").getInteger("seq")).toList();
    assertEquals(List.of(0, 3), seqs);
    assertEquals(4, router.statuses().get(0).filtered());
    await(server.close());
  }

  @Test
  void pausedRunnerSendsNothingUntilResumed(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, fastPolicy()));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    await(log.append(TestSupport.events(5, 2)));
    eventually(() -> "first 5", () -> server.deliveredCount() == 5);

    runner.pause();
    eventually(() -> "paused", () -> runner.status().state() == RunnerStatus.State.PAUSED);
    List<Event> more = new ArrayList<>();
    for (int i = 10; i < 15; i++) more.add(track("p" + (i % 2), "Order Completed", i));
    await(log.append(more));
    // Paused: the new events build up as lag and nothing is sent; checked over a few linger periods.
    long until = System.nanoTime() + 150_000_000L;
    while (System.nanoTime() < until) {
      assertEquals(5, server.deliveredCount(), "nothing sent while paused");
      Thread.yield();
    }
    assertTrue(runner.status().lag() > 0);
    runner.resume();
    eventually(() -> "all after resume", () -> server.deliveredCount() == 10);
    await(server.close());
  }

  @Test
  void eachKeyStaysInOrderWhileBatchesRetry(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx)
        .respond((n, events) -> n % 4 == 1 ? CaptureServer.Reply.status(503, "busy") : CaptureServer.Reply.ok());
    int port = server.start();
    DeliveryPolicy policy = new DeliveryPolicy(5, 5, 3, Duration.ofMillis(2), Duration.ofMillis(10),
        Duration.ofHours(1), 0, 1000, Duration.ofMillis(150));
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, policy));
    await(log.append(TestSupport.events(120, 9)));

    eventually(() -> "120 delivered", () -> server.deliveredCount() == 120);
    Map<String, Integer> lastSeq = new HashMap<>();
    for (JsonObject e : server.delivered()) {
      int seq = e.getJsonObject("properties").getInteger("seq");
      Integer previous = lastSeq.put(e.getString("userId"), seq);
      assertTrue(previous == null || previous < seq, e.getString("userId") + ": " + previous + " then " + seq);
    }
    assertTrue(router.statuses().get(0).retried() > 0, "some batches were retried");
    await(server.close());
  }

  @Test
  void unorderedDestinationsUseEveryInFlightSlot(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.ok().delayed(30));
    int port = server.start();
    // The fixed limit: what adaptive concurrency reaches depends on the machine's load (AdaptiveConcurrencyTest).
    DeliveryPolicy policy = new DeliveryPolicy(5, 5, 3, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150)).withAdaptiveConcurrency(false);
    Limits unordered = new Limits(500, 5L << 20, false);
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port, unordered), null, policy));
    await(log.append(TestSupport.events(60, 1))); // one key: an ordered destination would send one batch at a time
    eventually(() -> "60 delivered", () -> server.deliveredCount() == 60);
    assertEquals(3, server.peakConcurrency(), "maxInFlight sends at once, never more");
    await(server.close());
  }

  @Test
  void transformsShapeEventsAndAnEventTheyCannotShapeIsDeadLettered(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    java.util.function.UnaryOperator<Event> transform = e -> {
      String name = e.payloadString("event");
      if (name.equals("Broken")) throw new IllegalStateException("no mapping for Broken");
      if (name.equals("Dropped")) return null;
      return e.withPayload(e.payload().put("event", name.toUpperCase()).put("shaped", true));
    };
    startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, fastPolicy(),
        transform, null));
    await(log.append(List.of(track("u", "Signed Up", 0), track("u", "Broken", 1), track("u", "Dropped", 2),
        track("u", "Logged In", 3))));
    eventually(() -> "lag 0", () -> router.statuses().get(0).lag() == 0);
    List<JsonObject> delivered = server.delivered();
    assertEquals(List.of("SIGNED UP", "LOGGED IN"), delivered.stream().map(e -> e.getString("event")).toList());
    assertTrue(delivered.stream().allMatch(e -> e.getBoolean("shaped")));
    var letters = await(router.deadLetters("hook").orElseThrow()
        .list(dev.herald.bus.deadletter.DeadLetterQuery.firstPage()));
    assertEquals(List.of("u-1", "u-2"), letters.stream().map(l -> l.messageId()).toList());
    assertTrue(letters.get(0).reason().startsWith("transform_failed: "), letters.get(0).reason());
    assertTrue(letters.get(0).reason().contains("no mapping for Broken"), letters.get(0).reason());
    assertEquals("transform_failed: the transform yielded nothing", letters.get(1).reason());
    assertEquals(0, letters.get(0).attempts());
    assertEquals("Broken", letters.get(0).toEvent().payloadString("event"), "the untransformed event is kept");
    assertEquals(0, router.statuses().get(0).filtered(), "an event its transform cannot shape is a dead letter, not filtered");
    await(server.close());
  }

  @Test
  void routerRefusesDuplicateIdsAndUndoesAPartialStart(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    RouteSpec a = new RouteSpec("a", "http", new HttpTestDestination(vertx, port), null, fastPolicy());
    Throwable duplicate = assertThrowsFuture(
        vertx.deployVerticle(new Router(log, dir.resolve("dead-letters"), List.of(a, a))));
    assertTrue(duplicate.getMessage().contains("'a' is configured twice"), duplicate.getMessage());

    dev.herald.destination.api.Destination broken = new HttpTestDestination(vertx, port) {
      @Override
      public io.vertx.core.Future<Void> start() {
        return io.vertx.core.Future.failedFuture("cannot open the output file");
      }
    };
    RouteSpec b = new RouteSpec("b", "file", broken, null, fastPolicy());
    Router partial = new Router(log, dir.resolve("dead-letters"), List.of(a, b));
    Throwable failed = assertThrowsFuture(vertx.deployVerticle(partial));
    assertTrue(failed.getMessage().contains("'b' failed to start: cannot open the output file"), failed.getMessage());
    assertTrue(partial.statuses().isEmpty(), "the started runner was stopped again");
    assertTrue(partial.deadLetters("a").isEmpty());
    assertTrue(vertx.deploymentIDs().isEmpty(), "no runner left deployed: " + vertx.deploymentIDs());
    await(server.close());
  }

  private static Throwable assertThrowsFuture(io.vertx.core.Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
