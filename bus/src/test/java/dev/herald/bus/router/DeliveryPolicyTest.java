package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A delivery policy checks itself, and a route refuses one with problems. */
class DeliveryPolicyTest {

  @Test
  void theDefaultPolicyHasNoProblems() {
    assertEquals(List.of(), DeliveryPolicy.DEFAULT.problems());
  }

  @Test
  void everyProblemIsListedAtOnceWithItsKey() {
    DeliveryPolicy bad = new DeliveryPolicy(0, 60_001, 65, Duration.ofMinutes(10), Duration.ofMinutes(1),
        Duration.ZERO, -1, 0, Duration.ofNanos(10));
    assertEquals(List.of(
        "delivery.batchEvents: must be a positive integer",
        "delivery.lingerMs: must be an integer from 0 to 60000",
        "delivery.maxInFlight: must be an integer from 1 to 64",
        "delivery.retry.initialBackoff: must not exceed maxBackoff",
        "delivery.retry.maxAge: must be longer than zero",
        "delivery.retry.maxAttempts: must be a non-negative integer (0 = no bound)",
        "delivery.breaker.failures: must be a positive integer",
        "delivery.breaker.reset: must be at least 1ms"),
        bad.problems().stream().map(DeliveryPolicy.Problem::toString).toList());
  }

  @Test
  void theSendTimeoutDefaultsToThirtySecondsAndMustBeLongerThanZero() {
    assertEquals(Duration.ofSeconds(30), DeliveryPolicy.DEFAULT.sendTimeout());
    assertEquals(List.of("delivery.sendTimeout: must be longer than zero"),
        DeliveryPolicy.DEFAULT.withSendTimeout(Duration.ZERO).problems().stream().map(DeliveryPolicy.Problem::toString).toList());
    assertEquals(List.of(), DeliveryPolicy.DEFAULT.withSendTimeout(Duration.ofMillis(750)).problems());
  }

  @Test
  void aRouteRefusesAPolicyWithProblemsNamingThemAll() {
    Vertx vertx = Vertx.vertx();
    try {
      DeliveryPolicy bad = new DeliveryPolicy(0, 5, 0, Duration.ofMillis(5), Duration.ofMillis(20),
          Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new RouteSpec("hook", "http", new HttpTestDestination(vertx, 1), null, bad));
      assertTrue(e.getMessage().contains("delivery.batchEvents: must be a positive integer"), e.getMessage());
      assertTrue(e.getMessage().contains("delivery.maxInFlight: must be an integer from 1 to 64"), e.getMessage());
    } finally {
      TestSupport.await(vertx.close());
    }
  }
}
