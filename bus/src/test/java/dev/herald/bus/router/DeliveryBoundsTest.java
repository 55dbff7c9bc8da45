package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.router.KeyHoldAndSetupErrorTest.ScriptedDestination;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How long a destination may make the runner wait: its Retry-After is honoured up to maxBackoff. */
@ExtendWith(VertxExtension.class)
class DeliveryBoundsTest {

  @TempDir Path dir;
  private Router router;
  private EventLog log;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (log != null) await(log.close());
  }

  private static DeliveryPolicy policy(Duration maxBackoff) {
    return new DeliveryPolicy(10, 5, 1, Duration.ofMillis(5), maxBackoff, Duration.ofHours(24), 0, 1_000,
        Duration.ofMillis(150));
  }

  @Test
  void aRetryAfterOfAnHourMakesAnOrderedLaneWaitNoLongerThanMaxBackoff(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    AtomicInteger answers = new AtomicInteger();
    ScriptedDestination destination = new ScriptedDestination(event -> answers.getAndIncrement() == 0
        ? new SendResult.Retry("HTTP 503: come back in an hour", Duration.ofHours(1), 503)
        : SendResult.delivered(), Limits.DEFAULT);
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("hook", "http", destination, null, policy(Duration.ofMillis(300))));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    await(log.append(TestSupport.events(5, 1)));

    eventually(() -> "all 5 delivered: " + runner.status(), () -> destination.deliveries.size() == 5);
    assertEquals(Set.of("user0-0", "user0-1", "user0-2", "user0-3", "user0-4"), Set.copyOf(destination.deliveredIds()));
    assertTrue(destination.sends.get() >= 2, "asked again after maxBackoff, not after an hour");
    assertEquals(0, runner.status().deadLettered());
  }
}
