package dev.herald.destination.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.bus.router.DestinationRunner;
import dev.herald.bus.router.EventFilter;
import dev.herald.bus.router.RouteSpec;
import dev.herald.destination.api.Event;
import dev.herald.destination.testkit.Await;
import dev.herald.destination.testkit.TestDestinationContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test of behaviour: a backlog drain from the embedded log to the http plugin that prints the
 * bytes the JVM allocated per delivered event (the receiving server's threads excluded) and the
 * drain rate. Run on demand, e.g. with JFR for the allocation sites:
 * {@code ./mvnw -B -o -pl destination-http -am verify -Dtest=DrainAllocationProfile
 * -Dsurefire.failIfNoSpecifiedTests=false -Dherald.drainProfile=true -Dherald.drainEvents=200000}
 * ({@code -Dherald.drainAdaptive=false}: a fixed maxInFlight of 4 instead of adaptive concurrency).
 */
@EnabledIfSystemProperty(named = "herald.drainProfile", matches = "true")
class DrainAllocationProfile {

  @Test
  void drainsABacklogToTheHttpPluginAndPrintsAllocationsPerEvent() throws Exception {
    int events = Integer.getInteger("herald.drainEvents", 200_000);
    Path dir = Files.createTempDirectory("herald-drain-");
    Vertx serverVertx = Vertx.vertx();
    Set<Long> serverThreads = ConcurrentHashMap.newKeySet();
    AtomicLong received = new AtomicLong();
    HttpServer server = Await.result(serverVertx.createHttpServer().requestHandler(req -> {
      serverThreads.add(Thread.currentThread().getId());
      req.handler(b -> received.addAndGet(b.length()));
      req.endHandler(v -> req.response().end());
    }).listen(0, "127.0.0.1"));
    Vertx vertx = Vertx.vertx();
    try {
      EventLog log = Await.result(EmbeddedEventLog.open(vertx, EmbeddedLogOptions.defaults(dir.resolve("log"))));
      List<Event> batch = new ArrayList<>(1000);
      for (int i = 0; i < events; i++) {
        batch.add(event(i));
        if (batch.size() == 1000) {
          Await.result(log.append(batch));
          batch = new ArrayList<>(1000);
        }
      }
      if (!batch.isEmpty()) Await.result(log.append(batch));
      DeadLetterStore deadLetters = Await.result(DeadLetterStore.open(vertx, dir.resolve("dl"), "drain"));
      JsonObject config = new JsonObject().put("endpoint", "http://127.0.0.1:" + server.actualPort() + "/in");
      HttpDestinationFactory factory = new HttpDestinationFactory();
      TestDestinationContext context = TestDestinationContext.of("drain", vertx, factory.configSpec(), config);
      DeliveryPolicy policy = new DeliveryPolicy(500, 5, 4, Duration.ofMillis(5), Duration.ofMillis(50),
          Duration.ofHours(1), 0, 1000, Duration.ofMillis(200));
      if (!Boolean.parseBoolean(System.getProperty("herald.drainAdaptive", "true"))) {
        policy = policy.withAdaptiveConcurrency(false); // a fixed maxInFlight, to compare
      }
      DestinationRunner runner = new DestinationRunner(new RouteSpec("drain", "http", context.create(factory),
          EventFilter.defaults(), policy), log, deadLetters);
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      System.gc();
      Map<Long, Long> before = allocated(threads);
      long start = System.nanoTime();
      Await.result(vertx.deployVerticle(runner));
      StringBuilder limits = new StringBuilder();
      Await.until(Duration.ofMinutes(5), () -> "every event delivered: " + runner.status(), () -> {
        limits.append(runner.status().concurrencyLimit());
        return runner.status().delivered() >= events;
      });
      long elapsed = System.nanoTime() - start;
      Map<Long, Long> after = allocated(threads);
      assertEquals(events, runner.status().delivered());
      long bytes = 0;
      for (Map.Entry<Long, Long> e : after.entrySet()) {
        if (!serverThreads.contains(e.getKey())) bytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
      System.out.printf("drain: %d events in %.2f s = %.0f events/s; %.0f bytes allocated per event"
          + " (JVM threads except the receiving server's); %d body bytes received; concurrency limit every 10 ms: %s%n",
          events, elapsed / 1e9, events / (elapsed / 1e9), (double) bytes / events, received.get(), limits);
      Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
      Await.result(deadLetters.close());
      Await.result(log.close());
    } finally {
      Await.result(vertx.close());
      Await.result(serverVertx.close());
    }
  }

  /** Bytes allocated so far by each live thread. */
  private static Map<Long, Long> allocated(com.sun.management.ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) if (bytes[i] > 0) byThread.put(ids[i], bytes[i]);
    return byThread;
  }

  private static Event event(int i) {
    String user = "user-" + (i % 5000);
    JsonObject payload = new JsonObject().put("type", "track").put("event", "Order Completed")
        .put("messageId", "m-" + i).put("userId", user).put("timestamp", "2026-11-29T10:00:00.000Z")
        .put("properties", new JsonObject().put("orderId", "o-" + i).put("revenue", 19.99).put("currency", "EUR")
            .put("products", List.of(new JsonObject().put("sku", "sku-1").put("price", 19.99))))
        .put("context", new JsonObject().put("ip", "10.0.0.1").put("library",
            new JsonObject().put("name", "analytics.js").put("version", "4.1.0")).put("userAgent", "Mozilla/5.0"));
    return new Event("m-" + i, "track", "analytics", "web", user, Instant.now(), payload.toBuffer());
  }
}
