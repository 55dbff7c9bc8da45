package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.ReplayMark;
import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays and pauses at the router: a replayed dead letter goes through the transform again but not
 * the filter, keeps its messageId and is marked with its outcome; a destination recorded as paused
 * starts paused and reads nothing until resumed.
 */
@ExtendWith(VertxExtension.class)
class ReplayTest {

  @TempDir Path dir;
  private EventLog log;

  @AfterEach
  void tearDown() {
    if (log != null) await(log.close());
  }

  /** Marks each event it sends with {@code "transformed": true}. */
  private static final UnaryOperator<Event> TRANSFORM = e -> new Event(e.messageId(), e.type(), e.topic(), e.sourceId(),
      e.partitionKey(), e.receivedAt(), e.payload().copy().put("transformed", true).toBuffer());

  private static RouteSpec route(Vertx vertx, int port) {
    EventFilter onlyOrders = new EventFilter(Set.of("analytics"), Set.of(), List.of("Order *"), List.of());
    return new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), onlyOrders, TestSupport.fastPolicy(),
        TRANSFORM, null);
  }

  @Test
  void aReplayedDeadLetterIsTransformedAgainButNotFilteredAndKeepsItsMessageId(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    DeadLetterStore store = await(DeadLetterStore.open(vertx, dir.resolve("dead-letters"), "hook"));
    // As stored: the event as read from the log, which the current filter would leave out.
    Event signup = TestSupport.track("u1", "Signed Up", 1);
    await(store.append(List.of(DeadLetter.of(signup, "hook", "HTTP 400", 400, null, 1, null, Instant.now()))));
    await(store.close());
    Router router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), route(vertx, port));

    ReplayProgress started = await(router.replay("hook", new ReplayRequest(null, 100, false, false, 0))).orElseThrow();
    assertEquals(1, started.toReplay());
    eventually(() -> "replay " + router.replayProgress(started.replayId()),
        () -> router.replayProgress(started.replayId()).orElseThrow().state().equals("done"));
    assertEquals(1, router.replayProgress(started.replayId()).orElseThrow().delivered());
    JsonObject sent = server.delivered().get(0);
    assertEquals("u1-1", sent.getString("messageId"), "its original messageId");
    assertEquals("Signed Up", sent.getString("event"));
    assertTrue(sent.getBoolean("transformed"), "the transform ran again: " + sent);
    DeadLetter marked = await(router.deadLetters("hook").orElseThrow().list(DeadLetterQuery.firstPage())).get(0);
    assertEquals(ReplayMark.DELIVERED, marked.replay().outcome());
    assertEquals(started.replayId(), marked.replay().replayId());
    assertEquals(0, router.statuses().get(0).deadLettered(), "a replay adds no dead letter");
    TestSupport.undeploy(vertx, router);
    await(server.close());
  }

  @Test
  void aDestinationRecordedAsPausedStartsPausedAndDeliversOnceResumed(Vertx vertx) throws Exception {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    log.pausedDestinations().set("hook", true);
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    Router router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), route(vertx, port));
    assertEquals(RunnerStatus.State.PAUSED, router.statuses().get(0).state());

    await(log.append(TestSupport.events(20, 3)));
    eventually(() -> "lag " + router.statuses(), () -> router.statuses().get(0).lag() == 20);
    assertEquals(0, server.requestCount(), "paused from the start: nothing sent");

    assertEquals(RunnerStatus.State.RUNNING, await(router.resume("hook")).orElseThrow().state());
    assertFalse(log.pausedDestinations().isPaused("hook"));
    eventually(() -> "delivered " + router.statuses(), () -> router.statuses().get(0).delivered() == 20);
    assertTrue(await(router.pause("nope")).isEmpty(), "no such destination");
    TestSupport.undeploy(vertx, router);
    await(server.close());
  }
}
