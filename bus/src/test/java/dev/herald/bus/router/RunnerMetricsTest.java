package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.fastPolicy;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a runner tells metrics: each send and its size, transform failures, the age of its oldest unsettled event. */
@ExtendWith(VertxExtension.class)
class RunnerMetricsTest {

  @TempDir Path dir;
  private Router router;
  private EventLog log;
  private CaptureServer server;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (server != null) await(server.close());
    if (log != null) await(log.close());
  }

  @Test
  void theSendObserverHearsEverySendWithItsEventsAndTransformFailuresAreCounted(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    server = new CaptureServer(vertx);
    int port = server.start();
    UnaryOperator<Event> transform = e -> {
      if (e.payloadString("event").equals("Broken")) throw new IllegalStateException("no mapping");
      return e;
    };
    AtomicInteger sends = new AtomicInteger();
    AtomicInteger sentEvents = new AtomicInteger();
    AtomicLong negative = new AtomicLong();
    router = new Router(log, dir.resolve("dead-letters"), List.of(new RouteSpec("hook", "http",
        new HttpTestDestination(vertx, port), null, fastPolicy(), transform, null)))
        .observeSends((id, events, nanos) -> {
          if (!id.equals("hook") || nanos < 0) negative.incrementAndGet();
          sends.incrementAndGet();
          sentEvents.addAndGet(events);
        });
    await(vertx.deployVerticle(router));
    await(log.append(List.of(track("u", "A", 0), track("u", "Broken", 1), track("v", "B", 2), track("w", "Broken", 3))));

    eventually(() -> "lag 0: " + router.statuses(), () -> router.statuses().get(0).lag() == 0);
    RunnerStatus status = router.statuses().get(0);
    assertEquals(2, status.delivered());
    assertEquals(2, status.transformFailed());
    assertEquals(2, status.deadLettered(), "transform failures are dead letters too");
    assertEquals(server.requests().size(), sends.get(), "one observation per send");
    assertEquals(2, sentEvents.get());
    assertEquals(0, negative.get(), "the destination's id and a duration");
  }

  @Test
  void lagSecondsIsTheAgeOfTheOldestUnsettledEventAndZeroOnceAllIsSettled(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    server = new CaptureServer(vertx).respond((n, events) -> CaptureServer.Reply.status(503, "down"));
    int port = server.start();
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, fastPolicy()));
    Instant old = Instant.now().minusSeconds(120);
    await(log.append(List.of(track("u", "Old", 0, old, null), track("v", "New", 1, Instant.now(), null))));

    eventually(() -> "the oldest unsettled event: " + router.statuses(),
        () -> router.statuses().get(0).oldestUnsettledMillis() == old.toEpochMilli());
    assertTrue(router.statuses().get(0).lagSeconds(System.currentTimeMillis()) >= 120);

    server.respond((n, events) -> CaptureServer.Reply.ok());
    eventually(() -> "delivered and settled: " + router.statuses(), () -> router.statuses().get(0).delivered() == 2
        && router.statuses().get(0).oldestUnsettledMillis() == 0);
    assertEquals(0.0, router.statuses().get(0).lagSeconds(System.currentTimeMillis()));
  }

  @Test
  void theOffsetTrackerFindsTheOldestUnsettledEventAcrossPartitions() {
    OffsetTracker offsets = new OffsetTracker();
    assertEquals(0, offsets.oldestReceivedAtMillis());
    offsets.read(0, 10, 5_000);
    offsets.read(0, 11, 6_000);
    offsets.read(1, 3, 4_000);
    assertEquals(4_000, offsets.oldestReceivedAtMillis());
    offsets.settle(1, 3);
    assertEquals(5_000, offsets.oldestReceivedAtMillis());
    offsets.settle(0, 10);
    assertEquals(6_000, offsets.oldestReceivedAtMillis());
    offsets.settle(0, 11);
    assertEquals(0, offsets.oldestReceivedAtMillis());
  }
}
