package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Per-key holds for throttled users, and setup errors parking the runner at once. */
@ExtendWith(VertxExtension.class)
class KeyHoldAndSetupErrorTest {

  @TempDir Path dir;
  private Router router;
  private EventLog log;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (log != null) await(log.close());
  }

  /** A destination in-process: answers per event with {@code answer}, records what it accepted and when. */
  static final class ScriptedDestination implements Destination {
    record Delivery(String messageId, String key, long atNanos) {}

    final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger sends = new AtomicInteger();
    private final Function<Event, SendResult> answer;
    private final Limits limits;

    ScriptedDestination(Function<Event, SendResult> answer, Limits limits) {
      this.answer = answer;
      this.limits = limits;
    }

    @Override
    public Future<SendResult> send(List<Event> batch) {
      sends.incrementAndGet();
      List<SendResult> outcomes = new ArrayList<>(batch.size());
      long now = System.nanoTime();
      for (Event event : batch) {
        SendResult outcome = answer.apply(event);
        if (outcome instanceof SendResult.Delivered) deliveries.add(new Delivery(event.messageId(), event.partitionKey(), now));
        outcomes.add(outcome);
      }
      return Future.succeededFuture(SendResult.partial(outcomes));
    }

    @Override
    public Limits limits() {
      return limits;
    }

    List<String> deliveredIds() {
      synchronized (deliveries) {
        return deliveries.stream().map(Delivery::messageId).toList();
      }
    }
  }

  private static DeliveryPolicy policy(int batchEvents, int maxAttempts, int breakerFailures) {
    return new DeliveryPolicy(batchEvents, 5, 1, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofHours(1),
        maxAttempts, breakerFailures, Duration.ofMillis(150));
  }

  private DestinationRunner start(Vertx vertx, Destination destination, DeliveryPolicy policy) {
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("amp", "amplitude", destination, null, policy));
    return router.runner("amp").orElseThrow();
  }

  @Test
  void aThrottledUserWaitsInOrderWhileEveryOtherUserKeepsFlowing(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    long holdMs = 200;
    List<Long> throttledAt = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger throttles = new AtomicInteger();
    // "hot" is throttled on every send until every other user's 25 events are delivered (and on
    // two sends at least); each send answers all its hot events alike. Were the others held up
    // behind hot, nothing would ever be delivered again and the test would time out.
    Set<Integer> throttledSends = Collections.synchronizedSet(new HashSet<>());
    ScriptedDestination[] self = new ScriptedDestination[1];
    ScriptedDestination destination = new ScriptedDestination(event -> {
      if (!event.partitionKey().equals("hot")) return SendResult.delivered();
      int send = self[0].sends.get();
      boolean othersPending = self[0].deliveries.size() < 25 || throttledSends.size() < 2;
      if (throttledSends.contains(send) || (othersPending && throttledSends.add(send))) {
        throttles.incrementAndGet();
        throttledAt.add(System.nanoTime());
        return SendResult.throttled("user throttled", Duration.ofMillis(holdMs), 429);
      }
      return SendResult.delivered();
    }, Limits.DEFAULT);
    self[0] = destination;
    List<CircuitBreakerState> breakerStates = Collections.synchronizedList(new ArrayList<>());
    // One ordered lane of capacity one: before holds, a throttled head batch blocked everything.
    DestinationRunner runner = start(vertx, destination, policy(4, 0, 2));
    runner.onBreakerStateChange(breakerStates::add);

    // The first batch is hot-0 hot-1 a-2 b-3; hot-4 and hot-6 are already queued in the lane behind it.
    List<Event> first = new ArrayList<>();
    String[] keys = {"hot", "hot", "a", "b", "hot", "c", "hot", "d", "e", "f", "g", "h"};
    for (int i = 0; i < keys.length; i++) first.add(track(keys[i], "E", i));
    await(log.append(first));
    eventually(() -> "hot throttled", () -> throttles.get() > 0);
    // Read while hot is held: hot-20 joins the tail of the hold, the others go straight through.
    List<Event> later = new ArrayList<>();
    for (int i = 12; i < 30; i++) later.add(track(i == 20 ? "hot" : "u" + (i % 4), "E", i));
    await(log.append(later));

    eventually(() -> "all 30 delivered: " + destination.deliveredIds(), () -> destination.deliveries.size() == 30);
    eventually(() -> "lag 0", () -> runner.status().lag() == 0);

    List<ScriptedDestination.Delivery> deliveries = List.copyOf(destination.deliveries);
    List<String> hotOrder = deliveries.stream().filter(d -> d.key().equals("hot")).map(d -> d.messageId()).toList();
    assertEquals(List.of("hot-0", "hot-1", "hot-4", "hot-6", "hot-20"), hotOrder, "the held key keeps its order");
    int firstHot = deliveries.indexOf(deliveries.stream().filter(d -> d.key().equals("hot")).findFirst().orElseThrow());
    assertEquals(25, firstHot, "every other user's 25 events went through while hot was held: " + deliveries);
    long heldMs = (deliveries.get(firstHot).atNanos() - throttledAt.get(0)) / 1_000_000;
    int holds = throttledSends.size();
    assertTrue(heldMs >= holds * holdMs - 10, "held " + holds + " times for " + holdMs + " ms, waited " + heldMs + " ms");
    assertEquals(30, Set.copyOf(destination.deliveredIds()).size(), "nothing delivered twice");
    assertFalse(breakerStates.contains(CircuitBreakerState.OPEN), "a throttled user is not a failing destination");
    RunnerStatus status = runner.status();
    assertEquals(30, status.delivered());
    assertEquals(throttles.get(), status.retried());
    assertEquals(0, status.deadLettered());
  }

  @Test
  void aHeldUserPastMaxAttemptsIsDeadLetteredAndTheRestFlows(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    ScriptedDestination destination = new ScriptedDestination(event -> event.partitionKey().equals("hot")
        ? SendResult.throttled("user throttled", Duration.ofMillis(20), 429) : SendResult.delivered(), Limits.DEFAULT);
    DestinationRunner runner = start(vertx, destination, policy(4, 2, 2));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(track(i % 3 == 0 ? "hot" : "u" + i, "E", i));
    await(log.append(events));

    eventually(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertEquals(6, destination.deliveries.size());
    List<DeadLetter> letters = await(router.deadLetters("amp").orElseThrow().list(DeadLetterQuery.firstPage()));
    assertEquals(Set.of("hot-0", "hot-3", "hot-6", "hot-9"), Set.copyOf(letters.stream().map(DeadLetter::messageId).toList()));
    for (DeadLetter letter : letters) {
      assertEquals("retries exhausted: user throttled", letter.reason());
      assertEquals(2, letter.attempts());
      assertEquals(429, letter.status());
    }
  }

  @Test
  void aSetupErrorParksAsMisconfiguredAtOnceDeadLettersNothingAndDeliversAllOnceAfterTheFix(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    AtomicBoolean badKey = new AtomicBoolean(true);
    ScriptedDestination destination = new ScriptedDestination(event -> badKey.get()
        ? SendResult.setupError("Amplitude rejected the API key", 400, "{\"code\":400,\"error\":\"Invalid API key\"}")
        : SendResult.delivered(), Limits.DEFAULT);
    // maxAttempts 2: the probes that meet the bad key do not use up the events' attempts.
    DestinationRunner runner = start(vertx, destination, policy(5, 2, 5));
    List<RunnerStatus> whenOpened = Collections.synchronizedList(new ArrayList<>());
    runner.onBreakerStateChange(state -> {
      if (state == CircuitBreakerState.OPEN) whenOpened.add(runner.status());
    });
    await(log.append(TestSupport.events(20, 4)));

    eventually(() -> "probed twice: " + destination.sends.get(), () -> destination.sends.get() >= 3);
    RunnerStatus parked = runner.status();
    assertEquals(RunnerStatus.State.MISCONFIGURED, parked.state());
    assertEquals("setup error: Amplitude rejected the API key", parked.lastError());
    assertEquals(RunnerStatus.State.MISCONFIGURED, whenOpened.get(0).state(), "opened after the first send");
    assertEquals(0, parked.rejected());
    assertEquals(0, parked.deadLettered());
    assertEquals(20, parked.lag());
    badKey.set(false); // the operator fixes the key; the next probe gets through

    eventually(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    assertEquals(List.of(), await(router.deadLetters("amp").orElseThrow().list(DeadLetterQuery.firstPage())));
    assertEquals(20, destination.deliveries.size());
    assertEquals(20, Set.copyOf(destination.deliveredIds()).size(), "each delivered once");
    assertEquals(RunnerStatus.State.RUNNING, runner.status().state());
    assertEquals(CircuitBreakerState.CLOSED, runner.status().breaker());
  }

  @Test
  void aDestinationRejectingEveryEventWithOneStatusBatchAfterBatchIsFlaggedSuspectAndStillDeliversTheRest(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    AtomicBoolean wrongUrl = new AtomicBoolean(true);
    ScriptedDestination destination = new ScriptedDestination(event -> wrongUrl.get()
        ? SendResult.rejected("HTTP 404 from http://example", 404, "not found") : SendResult.delivered(), Limits.DEFAULT);
    DestinationRunner runner = start(vertx, destination, policy(5, 0, 5));
    for (int batch = 0; batch < RejectionStreak.SUSPECT_AFTER_BATCHES - 1; batch++) {
      List<Event> five = new ArrayList<>();
      for (int i = 0; i < 5; i++) five.add(TestSupport.track("u" + i, "E", batch * 5 + i));
      await(log.append(five));
      eventually(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);
    }
    assertEquals(null, runner.status().suspect(), "not yet: " + RejectionStreak.SUSPECT_AFTER_BATCHES + " batches make it");

    await(log.append(List.of(TestSupport.track("late", "E", 0))));
    eventually(() -> "suspect: " + runner.status(), () -> runner.status().suspect() != null);
    assertTrue(runner.status().suspect().contains("status 404"), runner.status().suspect());
    assertEquals(RunnerStatus.State.RUNNING, runner.status().state(), "delivery is unchanged");
    eventually(() -> "all dead-lettered: " + runner.status(),
        () -> runner.status().deadLettered() == 5L * (RejectionStreak.SUSPECT_AFTER_BATCHES - 1) + 1);

    wrongUrl.set(false);
    await(log.append(List.of(TestSupport.track("later", "E", 1))));
    eventually(() -> "delivered and cleared: " + runner.status(), () -> runner.status().delivered() == 1);
    assertEquals(null, runner.status().suspect());
  }
}
