package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Event;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runners tell each event's outcome to the view their observer gives for their destination, found once. */
@ExtendWith(VertxExtension.class)
class DeliveryObserverTest {

  @TempDir Path dir;

  @Test
  void eachRunnerFeedsTheViewItsObserverGivesForItsDestination(Vertx vertx) {
    EventLog log = TestSupport.openLog(vertx, dir.resolve("log"));
    CaptureServer server = new CaptureServer(vertx);
    int port = server.start();
    ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    DeliveryObserver observer = new DeliveryObserver() {
      // Its own methods stay the no-op defaults: a runner calling them instead of its view records nothing.
      @Override
      public DeliveryObserver forDestination(String destinationId) {
        asked.add(destinationId);
        return new DeliveryObserver() {
          @Override
          public void read(String d, Event event, int partition, long offset, boolean passed, long atMillis) {
            seen.add(destinationId + " " + d + " read " + event.messageId());
          }

          @Override
          public void delivered(String d, String messageId, long request, int attempts, long atMillis) {
            seen.add(destinationId + " " + d + " delivered " + messageId);
          }
        };
      }
    };
    Router router = new Router(log, dir.resolve("dead-letters"), List.of(
        new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, fastPolicy()),
        new RouteSpec("mirror", "http", new HttpTestDestination(vertx, port), null, fastPolicy())));
    router.observe(observer);
    await(vertx.deployVerticle(router));
    try {
      List<Event> sent = TestSupport.events(30, 3);
      await(log.append(sent));
      eventually(() -> "60 deliveries, got " + server.deliveredCount(), () -> server.deliveredCount() >= 60);
      eventually(() -> "120 calls, got " + seen.size(), () -> seen.size() >= 120);
      Set<String> expected = new TreeSet<>();
      for (String d : List.of("hook", "mirror")) {
        for (Event e : sent) {
          expected.add(d + " " + d + " read " + e.messageId());
          expected.add(d + " " + d + " delivered " + e.messageId());
        }
      }
      assertEquals(expected, new TreeSet<>(seen), "each runner's view, naming its own destination");
      assertEquals(120, seen.size(), "once each");
      assertEquals(Set.of("hook", "mirror"), asked.stream().collect(Collectors.toSet()));
      assertEquals(2, asked.size(), "found once per runner");
    } finally {
      TestSupport.undeploy(vertx, router);
      await(log.close());
      await(server.close());
    }
  }
}
