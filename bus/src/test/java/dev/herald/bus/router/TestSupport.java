package dev.herald.bus.router;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Shared helpers for the router tests: events, logs, waiting with a deadline. */
final class TestSupport {

  private TestSupport() {}

  /** The real embedded log in {@code dir}, fsync per append. */
  static EventLog openLog(Vertx vertx, Path dir) {
    return await(EmbeddedEventLog.open(vertx, EmbeddedLogOptions.defaults(dir)));
  }

  /** The same log after a restart (closed, then opened again from its directory). */
  static EventLog reopenLog(Vertx vertx, EventLog log, Path dir) {
    await(log.close());
    return openLog(vertx, dir);
  }

  /** A track event of {@code userId}, named {@code name}, carrying {@code seq} in its properties. */
  static Event track(String userId, String name, int seq) {
    return track(userId, name, seq, Instant.now(), null);
  }

  static Event track(String userId, String name, int seq, Instant receivedAt, JsonObject extra) {
    String messageId = userId + "-" + seq;
    JsonObject payload = new JsonObject()
        .put("type", "track")
        .put("event", name)
        .put("userId", userId)
        .put("messageId", messageId)
        .put("properties", new JsonObject().put("seq", seq));
    if (extra != null) payload.mergeIn(extra);
    return new Event(messageId, "track", "analytics", "web", userId, receivedAt, payload.toBuffer());
  }

  /** {@code count} track events spread over {@code users} users, seq 0..count-1. */
  static List<Event> events(int count, int users) {
    List<Event> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(track("user" + (i % users), "Order Completed", i));
    return out;
  }

  static DeliveryPolicy fastPolicy() {
    return new DeliveryPolicy(10, 5, 2, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofHours(1),
        0, 3, Duration.ofMillis(150));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes (then fails with {@code what}). */
  static void eventually(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what.get());
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static void eventually(Supplier<String> what, BooleanSupplier condition) {
    eventually(Duration.ofSeconds(15), what, condition);
  }

  /** Deploys the routing verticle with {@code routes}, as Herald does; waits until they all run. */
  static Router deployRouter(Vertx vertx, EventLog log, Path deadLetterDir, RouteSpec... routes) {
    Router router = new Router(log, deadLetterDir, List.of(routes));
    await(vertx.deployVerticle(router));
    return router;
  }

  /** Undeploys a deployed router: every runner drains its sends and commits what is settled. */
  static void undeploy(Vertx vertx, Router router) {
    String id = router.deploymentID();
    if (vertx.deploymentIDs().contains(id)) await(vertx.undeploy(id));
  }
}
