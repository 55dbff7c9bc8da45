package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Retries, the breaker, dead letters, crashes and isolation. */
@ExtendWith(VertxExtension.class)
class FailureHandlingTest {

  @TempDir Path dir;
  private final List<Router> routers = new ArrayList<>();
  private EventLog log;

  @AfterEach
  void tearDown(Vertx vertx) {
    for (Router r : routers) TestSupport.undeploy(vertx, r);
    if (log != null) await(log.close());
  }

  private Router startRouter(Vertx vertx, RouteSpec... routes) {
    Router router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), routes);
    routers.add(router);
    return router;
  }

  private static DeliveryPolicy policy(int batchEvents, int maxInFlight, Duration maxAge, int maxAttempts,
      int breakerFailures) {
    return new DeliveryPolicy(batchEvents, 5, maxInFlight, Duration.ofMillis(5), Duration.ofMillis(20), maxAge,
        maxAttempts, breakerFailures, Duration.ofMillis(150));
  }

  private static Set<String> names(JsonArray events) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < events.size(); i++) names.add(events.getJsonObject(i).getString("event"));
    return names;
  }

  @Test
  void failingDestinationOpensTheBreakerParksAndRecoversWithoutLoss(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean failing = new AtomicBoolean(true);
    CaptureServer server = new CaptureServer(vertx, timeline)
        .respond((n, events) -> failing.get() ? CaptureServer.Reply.status(503, "down") : CaptureServer.Reply.ok());
    int port = server.start();
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        policy(10, 1, Duration.ofHours(1), 0, 3)));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    AtomicInteger opens = new AtomicInteger();
    List<RunnerStatus.State> parkedStates = Collections.synchronizedList(new ArrayList<>());
    runner.onBreakerStateChange(state -> {
      timeline.add("breaker " + state);
      if (state == CircuitBreakerState.OPEN) {
        parkedStates.add(runner.status().state());
        if (opens.incrementAndGet() == 2) failing.set(false); // recover after one failed probe
      }
    });

    await(log.append(TestSupport.events(30, 4)));
    eventually(() -> "30 delivered, timeline " + timeline, () -> server.deliveredCount() == 30);
    eventually(() -> "lag 0", () -> runner.status().lag() == 0);

    List<String> events = List.copyOf(timeline);
    assertEquals(List.of("request 503", "request 503", "request 503", "breaker OPEN", "breaker HALF_OPEN",
        "request 503", "breaker OPEN", "breaker HALF_OPEN", "request 200", "breaker CLOSED"),
        events.subList(0, 10), "3 failures open the breaker; only one probe per half-open; nothing sent while open");
    assertTrue(events.subList(10, events.size()).stream().allMatch(e -> e.equals("request 200")));
    assertEquals(List.of(RunnerStatus.State.PARKED, RunnerStatus.State.PARKED), parkedStates);
    Set<String> ids = new HashSet<>();
    server.delivered().forEach(e -> assertTrue(ids.add(e.getString("messageId")), "duplicate"));
    RunnerStatus status = runner.status();
    assertEquals(CircuitBreakerState.CLOSED, status.breaker());
    assertEquals(RunnerStatus.State.RUNNING, status.state());
    assertEquals(30, status.delivered());
    assertEquals(40, status.retried(), "4 failed sends of the same 10-event batch");
    assertEquals(0, router.deadLetters("hook").orElseThrow().count());
    await(server.close());
  }

  @Test
  void rejectedEventsAreDeadLetteredWithTheirReasonAndTheCursorMovesOn(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> names(events).contains("Bad Event")
        ? CaptureServer.Reply.status(400, "{\"error\":\"missing field user_id\"}") : CaptureServer.Reply.ok());
    int port = server.start();
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        policy(1, 2, Duration.ofHours(1), 0, 3)));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(track("u" + (i % 3), i == 3 || i == 7 ? "Bad Event" : "Good Event", i));
    await(log.append(events));

    eventually(() -> "lag 0: " + router.statuses(), () -> router.statuses().get(0).lag() == 0);
    assertEquals(8, server.deliveredCount());
    DeadLetterStore store = router.deadLetters("hook").orElseThrow();
    List<DeadLetter> letters = await(store.list(DeadLetterQuery.firstPage()));
    assertEquals(Set.of("u0-3", "u1-7"), Set.of(letters.get(0).messageId(), letters.get(1).messageId()));
    for (DeadLetter letter : letters) {
      assertEquals("HTTP 400", letter.reason());
      assertEquals(400, letter.status());
      assertTrue(letter.responseExcerpt().contains("missing field user_id"));
      assertEquals(1, letter.attempts());
      assertEquals("hook", letter.destination());
      assertNotNull(letter.firstAttemptAt());
      Event original = events.stream().filter(e -> e.messageId().equals(letter.messageId())).findFirst().orElseThrow();
      assertEquals(original.payload(), letter.toEvent().payload(), "the original event is kept for replay");
    }
    RunnerStatus status = router.statuses().get(0);
    assertEquals(2, status.rejected());
    assertEquals(2, status.deadLettered());
    await(server.close());
  }

  @Test
  void partialOutcomesSettleDeadLetterAndResendEachEventAsItsOutcomeSays(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    Set<String> retriedOnce = Collections.synchronizedSet(new HashSet<>());
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> {
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        JsonObject e = events.getJsonObject(i);
        String name = e.getString("event");
        if (name.equals("Invalid")) outcomes.add("reject");
        else if (name.equals("Throttled") && retriedOnce.add(e.getString("messageId"))) outcomes.add("retry");
        else outcomes.add("ok");
      }
      return CaptureServer.Reply.partial(outcomes);
    });
    int port = server.start();
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        new DeliveryPolicy(10, 50, 1, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofHours(1), 0, 3,
            Duration.ofMillis(150))));
    List<String> names = List.of("Fine", "Invalid", "Throttled", "Fine", "Fine", "Throttled");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) events.add(track("u1", names.get(i), i));
    await(log.append(events));

    eventually(() -> "lag 0: " + router.statuses(), () -> router.statuses().get(0).lag() == 0);
    List<CaptureServer.Request> requests = server.requests();
    assertEquals(2, requests.size());
    assertEquals(6, requests.get(0).events().size());
    assertEquals(Set.of("Throttled"), names(requests.get(1).events()), "only the retryable events are resent");
    assertEquals(2, requests.get(1).events().size());
    assertEquals(5, server.deliveredCount());
    List<DeadLetter> letters = await(router.deadLetters("hook").orElseThrow().list(DeadLetterQuery.firstPage()));
    assertEquals(1, letters.size());
    assertEquals("u1-1", letters.get(0).messageId());
    assertEquals("invalid event", letters.get(0).reason());
    RunnerStatus status = router.statuses().get(0);
    assertEquals(5, status.delivered());
    assertEquals(1, status.rejected());
    assertEquals(2, status.retried());
    await(server.close());
  }

  @Test
  void eventsFailingPastMaxAgeAreDeadLetteredAsRetriesExhausted(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.status(503, "busy"));
    int port = server.start();
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        policy(10, 1, Duration.ofMillis(300), 0, 1000)));
    Instant start = Instant.now();
    await(log.append(List.of(track("u1", "A", 0), track("u2", "B", 1),
        track("u3", "Old", 2, Instant.now().minus(Duration.ofHours(2)), null))));

    eventually(() -> "3 dead letters", () -> router.deadLetters("hook").orElseThrow().count() == 3);
    eventually(() -> "lag 0", () -> router.statuses().get(0).lag() == 0);
    List<DeadLetter> letters = await(router.deadLetters("hook").orElseThrow().list(DeadLetterQuery.firstPage()));
    for (DeadLetter letter : letters) {
      assertEquals("retries exhausted: HTTP 503", letter.reason());
      assertEquals(0, letter.status(), "the test plugin reports no status on retry");
    }
    DeadLetter old = letters.stream().filter(l -> l.messageId().equals("u3-2")).findFirst().orElseThrow();
    assertEquals(1, old.attempts(), "already past maxAge: dead-lettered after its first failure");
    DeadLetter young = letters.stream().filter(l -> l.messageId().equals("u1-0")).findFirst().orElseThrow();
    assertTrue(young.attempts() > 2, "retried until maxAge, attempts " + young.attempts());
    assertFalse(young.deadLetteredAt().isBefore(start.plusMillis(290)), "kept retrying for maxAge");
    assertEquals(0, server.deliveredCount());
    await(server.close());
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonoured(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx)
        .respond((n, events) -> n == 0 ? CaptureServer.Reply.throttled(300) : CaptureServer.Reply.ok());
    int port = server.start();
    // Backoff 5 ms at first; maxBackoff (the most of a Retry-After honoured) 1 s.
    DeliveryPolicy policy = new DeliveryPolicy(10, 5, 1, Duration.ofMillis(5), Duration.ofSeconds(1),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        policy));
    await(log.append(List.of(track("u1", "A", 0))));
    eventually(() -> "delivered", () -> server.deliveredCount() == 1);
    List<CaptureServer.Request> requests = server.requests();
    long gapMs = (requests.get(1).atNanos() - requests.get(0).atNanos()) / 1_000_000;
    assertTrue(gapMs >= 290, "waited for Retry-After rather than the 5-20 ms backoff: " + gapMs + " ms");
    assertEquals(1, router.statuses().get(0).retried());
    await(server.close());
  }

  @Test
  void eventsFailingMaxAttemptsTimesAreDeadLettered(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.status(500, "oops"));
    int port = server.start();
    Router router = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null,
        policy(10, 1, Duration.ofHours(1), 3, 1000)));
    await(log.append(List.of(track("u1", "A", 0))));
    eventually(() -> "dead letter", () -> router.deadLetters("hook").orElseThrow().count() == 1);
    DeadLetter letter = await(router.deadLetters("hook").orElseThrow().list(DeadLetterQuery.firstPage())).get(0);
    assertEquals(3, letter.attempts());
    assertEquals("retries exhausted: HTTP 500", letter.reason());
    assertEquals(3, server.requestCount());
    await(server.close());
  }

  @Test
  void aStopLeavesUnsettledEventsUncommittedSoTheNextRunnerRedeliversThem(Vertx vertx) {
    Path logDir = dir.resolve("log");
    log = TestSupport.openLog(vertx, logDir);
    CaptureServer first = new CaptureServer(vertx).respond((n, events) -> {
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        outcomes.add(events.getJsonObject(i).getString("userId").equals("stuck") ? "retry" : "ok");
      }
      return CaptureServer.Reply.partial(outcomes);
    });
    int port1 = first.start();
    Limits unordered = new Limits(500, 5L << 20, false);
    Router router1 = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port1, unordered),
        null, policy(3, 2, Duration.ofHours(1), 0, 1000)));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) events.add(track(i == 8 ? "stuck" : "u" + (i % 3), "E", i));
    await(log.append(events));
    eventually(() -> "19 delivered", () -> first.deliveredCount() == 19);
    eventually(() -> "stuck retried", () -> router1.statuses().get(0).retried() >= 3);
    TestSupport.undeploy(vertx, router1);
    routers.remove(router1);
    await(first.close());
    assertTrue(router1.statuses().isEmpty(), "a stopped router lists no runners");

    log = TestSupport.reopenLog(vertx, log, logDir);
    CaptureServer second = new CaptureServer(vertx);
    int port2 = second.start();
    Router router2 = startRouter(vertx, new RouteSpec("hook", "http", new HttpTestDestination(vertx, port2, unordered),
        null, policy(3, 2, Duration.ofHours(1), 0, 1000)));
    eventually(() -> "lag 0", () -> router2.statuses().get(0).lag() == 0);
    List<Integer> seqs = second.delivered().stream().map(e -> e.getJsonObject("properties").getInteger("seq")).toList();
    assertTrue(seqs.contains(8), "the unsettled event is delivered again: " + seqs);
    assertTrue(seqs.stream().allMatch(s -> s >= 8), "nothing below the lowest unsettled offset again: " + seqs);
    await(second.close());
  }

  @Test
  void aDeadOrHangingDestinationDoesNotDelayAHealthySibling(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer hanging = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.ok().delayed(60_000));
    int hangingPort = hanging.start();
    CaptureServer healthy = new CaptureServer(vertx);
    int healthyPort = healthy.start();
    CaptureServer closed = new CaptureServer(vertx);
    int deadPort = closed.start();
    await(closed.close()); // connection refused from now on
    DeliveryPolicy policy = policy(10, 2, Duration.ofHours(1), 0, 3);
    Router router = startRouter(vertx,
        new RouteSpec("hanging", "http", new HttpTestDestination(vertx, hangingPort), null, policy, null,
            Duration.ofMillis(200)),
        new RouteSpec("dead", "http", new HttpTestDestination(vertx, deadPort), null, policy),
        new RouteSpec("healthy", "http", new HttpTestDestination(vertx, healthyPort), null, policy));

    long start = System.nanoTime();
    List<Event> events = TestSupport.events(200, 7);
    for (int i = 0; i < 200; i += 20) await(log.append(events.subList(i, i + 20)));
    long appendMs = (System.nanoTime() - start) / 1_000_000;
    // The hanging destination answers after 60 s: any bound well below that proves isolation
    // without failing on a busy machine.
    eventually(Duration.ofSeconds(15), () -> "healthy got all: " + healthy.deliveredCount(),
        () -> healthy.deliveredCount() == 200);
    assertTrue(appendMs < 15_000, "appends are not held up: " + appendMs + " ms");
    eventually(() -> "both failing destinations parked: " + router.statuses(),
        () -> router.statuses().stream().filter(s -> !s.id().equals("healthy"))
            .allMatch(s -> s.breaker() == CircuitBreakerState.OPEN || s.breaker() == CircuitBreakerState.HALF_OPEN));
    for (RunnerStatus s : router.statuses()) {
      if (s.id().equals("healthy")) {
        assertEquals(200, s.delivered());
      } else {
        assertEquals(0, s.delivered());
        assertEquals(200, s.lag(), s.id() + " keeps its backlog");
        assertNotNull(s.lastError());
      }
    }
    await(healthy.close());
    await(hanging.close());
  }
}
