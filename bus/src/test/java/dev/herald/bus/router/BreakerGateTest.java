package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The breaker gate: what counts as a failure, what is refused, and the single half-open probe. */
@ExtendWith(VertxExtension.class)
class BreakerGateTest {

  private final List<CircuitBreakerState> transitions = Collections.synchronizedList(new ArrayList<>());

  private BreakerGate gate(Vertx vertx, OnContext on, int failures, long resetMs, long timeoutMs) {
    DeliveryPolicy policy = new DeliveryPolicy(10, 5, 1, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, failures, Duration.ofMillis(resetMs));
    return on.call(() -> new BreakerGate(vertx, vertx.getOrCreateContext(), "test", BreakerGate.options(policy, timeoutMs),
        transitions::add));
  }

  private static Batch batch() {
    Event e = track("u", "E", 0);
    return new Batch(new Lane(1), List.of(new PendingEvent(new LogEntry(0, 0, e, 10), e, System.nanoTime())));
  }

  @Test
  void anAnswerThatCountsAsAFailureOpensTheBreakerAndIsStillHandedBack(Vertx vertx) {
    OnContext on = new OnContext(vertx.getOrCreateContext());
    BreakerGate gate = gate(vertx, on, 2, 60_000, 5_000);
    SendResult busy = SendResult.retry("busy", Duration.ofSeconds(3));
    assertSame(busy, on.await(() -> gate.send(() -> Future.succeededFuture(busy))));
    assertEquals(CircuitBreakerState.CLOSED, gate.state());
    assertSame(busy, on.await(() -> gate.send(() -> Future.succeededFuture(busy))));
    assertEquals(CircuitBreakerState.OPEN, gate.state(), "two answers counted as failures");
    eventually(() -> "told of the opening: " + transitions, () -> transitions.contains(CircuitBreakerState.OPEN));
  }

  @Test
  void aThrottledKeyOrADeliveryIsNoFailure(Vertx vertx) {
    OnContext on = new OnContext(vertx.getOrCreateContext());
    BreakerGate gate = gate(vertx, on, 1, 60_000, 5_000);
    SendResult throttled = SendResult.throttled("user throttled", Duration.ofSeconds(1), 429);
    for (int i = 0; i < 3; i++) on.await(() -> gate.send(() -> Future.succeededFuture(throttled)));
    on.await(() -> gate.send(() -> Future.succeededFuture(SendResult.partial(
        List.of(SendResult.delivered(), SendResult.retry("one event", null))))));
    assertEquals(CircuitBreakerState.CLOSED, gate.state());
    assertTrue(BreakerGate.countsAsFailure(SendResult.partial(List.of(SendResult.retry("all", null)))));
    assertTrue(BreakerGate.countsAsFailure(SendResult.setupError("bad key", 401, null)));
    assertFalse(BreakerGate.countsAsFailure(SendResult.rejected("bad event", 400, null)));
  }

  @Test
  void whileOpenNothingIsSentAndTheRefusalSaysSo(Vertx vertx) {
    OnContext on = new OnContext(vertx.getOrCreateContext());
    BreakerGate gate = gate(vertx, on, 5, 60_000, 5_000);
    on.run(gate::openNow);
    assertFalse(on.call(gate::admits));
    AtomicInteger sends = new AtomicInteger();
    Throwable refused = TestSupport.await(on.call(() -> gate.send(() -> {
      sends.incrementAndGet(); // where the runner counts an attempt
      return Future.succeededFuture(SendResult.delivered());
    })).transform(ar -> Future.succeededFuture(ar.cause())));
    assertInstanceOf(OpenCircuitException.class, refused);
    assertEquals(0, sends.get(), "a refused send is no attempt");
  }

  @Test
  void halfOpenLetsOneProbeThroughAndItsSuccessReleasesTheParkedBatches(Vertx vertx) {
    OnContext on = new OnContext(vertx.getOrCreateContext());
    BreakerGate gate = gate(vertx, on, 5, 100, 5_000);
    Batch first = batch();
    Batch second = batch();
    on.run(() -> {
      gate.openNow();
      gate.park(first);
      gate.park(second);
    });
    eventually(Duration.ofSeconds(10), () -> "half-open: " + transitions,
        () -> transitions.contains(CircuitBreakerState.HALF_OPEN));
    assertSame(first, on.call(gate::takeProbe), "the oldest parked batch probes");
    Promise<SendResult> answer = Promise.promise();
    Future<SendResult> probe = on.call(() -> gate.send(answer::future));
    assertFalse(on.call(gate::admits), "one probe at a time");
    on.run(() -> answer.complete(SendResult.delivered()));
    assertEquals(SendResult.delivered(), TestSupport.await(probe));
    assertEquals(CircuitBreakerState.CLOSED, gate.state());
    assertTrue(on.call(gate::admits));
    assertEquals(List.of(second), on.call(gate::takeAll));
    assertNull(on.call(gate::takeProbe));
  }

  @Test
  void noAnswerInTimeOrAThrowingPluginIsARetryOfTheWholeBatch(Vertx vertx) {
    OnContext on = new OnContext(vertx.getOrCreateContext());
    BreakerGate gate = gate(vertx, on, 5, 60_000, 50);
    SendResult late = on.await(() -> gate.send(() -> Promise.<SendResult>promise().future()));
    assertEquals(new SendResult.Retry("no answer within 50 ms", null, 0), late);
    SendResult thrown = on.await(() -> gate.send(() -> {
      throw new IllegalStateException("plugin bug");
    }));
    assertEquals(new SendResult.Retry("send failed: plugin bug", null, 0), thrown);
    SendResult none = on.await(() -> gate.send(() -> null));
    assertEquals(new SendResult.Retry("send failed: destination returned no future", null, 0), none);
  }
}
