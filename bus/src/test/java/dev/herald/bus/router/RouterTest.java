package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The routing verticle: one runner verticle per destination, added and removed while it runs. */
@ExtendWith(VertxExtension.class)
class RouterTest {

  @TempDir Path dir;
  private EventLog log;

  @AfterEach
  void tearDown() {
    if (log != null) await(log.close());
  }

  private static RouteSpec route(Vertx vertx, String id, int port) {
    return new RouteSpec(id, "http", new HttpTestDestination(vertx, port), null, TestSupport.fastPolicy());
  }

  @Test
  void destinationsAddedAndRemovedWhileRunningEachGetTheirOwnRunnerVerticle(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    Router router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), route(vertx, "first", port));
    assertEquals(2, vertx.deploymentIDs().size(), "the router and one runner");

    await(router.add(route(vertx, "second", port)));
    assertEquals(List.of("first", "second"), router.statuses().stream().map(RunnerStatus::id).toList());
    assertEquals(3, vertx.deploymentIDs().size());
    Throwable twice = failure(router.add(route(vertx, "second", port)));
    assertTrue(twice.getMessage().contains("'second' is already running"), twice.getMessage());

    await(log.append(TestSupport.events(10, 2)));
    eventually(() -> "both delivered: " + router.statuses(),
        () -> router.statuses().stream().allMatch(s -> s.delivered() == 10 && s.lag() == 0));

    await(router.remove("first"));
    assertEquals(List.of("second"), router.statuses().stream().map(RunnerStatus::id).toList());
    assertTrue(router.deadLetters("first").isEmpty());
    assertEquals(2, vertx.deploymentIDs().size());
    Throwable unknown = failure(router.remove("first"));
    assertTrue(unknown.getMessage().contains("no destination 'first'"), unknown.getMessage());

    TestSupport.undeploy(vertx, router);
    assertEquals(Set.of(), vertx.deploymentIDs(), "undeploying the router stops its runners");
    assertTrue(router.statuses().isEmpty());
    await(server.close());
  }

  private static Throwable failure(Future<?> future) {
    return await(future.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure"))
        : Future.succeededFuture(ar.cause())));
  }
}
