package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The concurrency limit inside the runner: it never strands a batch, whatever else holds it. */
@ExtendWith(VertxExtension.class)
class AdaptiveConcurrencyRunnerTest {

  @TempDir Path dir;
  private Router router;
  private EventLog log;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (log != null) await(log.close());
  }

  /** Fails every send (HTTP 500, which says nothing about load) while {@code failing}, then takes all. */
  private static final class FlakyDestination implements Destination {
    final AtomicBoolean failing = new AtomicBoolean(true);
    final Set<String> delivered = ConcurrentHashMap.newKeySet();

    @Override
    public Future<SendResult> send(List<Event> batch) {
      if (failing.get()) return Future.succeededFuture(new SendResult.Retry("HTTP 500", null, 500));
      batch.forEach(e -> delivered.add(e.messageId()));
      return Future.succeededFuture(SendResult.delivered());
    }

    @Override
    public Limits limits() {
      return new Limits(5, 1 << 20, true);
    }
  }

  @Test
  void batchesParkedWhileTheBreakerWasOpenAllGoOnceItClosesThoughTheLimitIsOne(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    FlakyDestination destination = new FlakyDestination();
    DeliveryPolicy policy = new DeliveryPolicy(5, 5, 8, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("hook", "http", destination, null, policy));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    await(log.append(TestSupport.events(200, 50)));

    eventually(() -> "the breaker opens: " + runner.status(), () -> runner.status().breaker() == CircuitBreakerState.OPEN);
    assertEquals(1, runner.status().concurrencyLimit(), "failures that say nothing about load leave it at its start");
    destination.failing.set(false);

    eventually(Duration.ofSeconds(30), () -> "all 200 delivered: " + runner.status(),
        () -> destination.delivered.size() == 200 && runner.status().lag() == 0);
    assertEquals(0, runner.status().deadLettered());
  }

  @Test
  void aBatchThatKeepsFailingNeverStopsTheOthersThoughTheLimitIsOne(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Destination poisoned = new Destination() {
      @Override
      public Future<SendResult> send(List<Event> batch) {
        if (batch.stream().anyMatch(e -> e.partitionKey().equals("poison"))) {
          return Future.succeededFuture(new SendResult.Retry("HTTP 500", null, 500));
        }
        batch.forEach(e -> delivered.add(e.messageId()));
        return Future.succeededFuture(SendResult.delivered());
      }

      @Override
      public Limits limits() {
        return new Limits(5, 1 << 20, false); // one lane: an ordered lane would wait behind its failing batch
      }
    };
    DeliveryPolicy policy = new DeliveryPolicy(5, 5, 4, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 1_000_000, Duration.ofMillis(150));
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("hook", "http", poisoned, null, policy));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    await(log.append(List.of(TestSupport.track("poison", "E", 0))));
    eventually(() -> "the poisoned batch retries: " + runner.status(), () -> runner.status().retried() >= 2);
    assertEquals(1, runner.status().concurrencyLimit(), "failures that say nothing about load leave it at its start");
    await(log.append(TestSupport.events(300, 30)));

    eventually(Duration.ofSeconds(30), () -> delivered.size() + " of 300 delivered: " + runner.status(),
        () -> delivered.size() == 300);
  }
}
