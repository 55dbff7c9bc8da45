package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive concurrency against a real HTTP server on 127.0.0.1: one that refuses (429) whatever
 * goes past N requests at once, and one that takes everything.
 */
class AdaptiveConcurrencyServerTest {

  private static final int MAX_IN_FLIGHT = 8;

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Vertx serverVertx = Vertx.vertx();
  private Router router;
  private EventLog log;

  @AfterEach
  void tearDown() {
    if (router != null) TestSupport.undeploy(vertx, router);
    if (log != null) await(log.close());
    await(vertx.close());
    await(serverVertx.close());
  }

  /** Answers each request after {@code delayMs}; 429 at once to any beyond {@code capacity} open at a time. */
  private static final class LimitedServer {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger mostOpen = new AtomicInteger();
    final LongAdder refused = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final Set<String> received = ConcurrentHashMap.newKeySet();
    HttpServer server;

    LimitedServer start(Vertx vertx, int capacity, long delayMs) {
      server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        int now = open.incrementAndGet();
        if (now > capacity) {
          open.decrementAndGet();
          refused.increment();
          req.response().setStatusCode(429).end();
          return;
        }
        mostOpen.accumulateAndGet(now, Math::max);
        vertx.setTimer(delayMs, t -> {
          JsonArray events = new JsonArray(body);
          for (int i = 0; i < events.size(); i++) received.add(events.getJsonObject(i).getString("messageId"));
          accepted.increment();
          open.decrementAndGet();
          req.response().end();
        });
      })).listen(0, "127.0.0.1"));
      return this;
    }
  }

  /** Posts the stored payloads joined as a JSON array; 429 and 503 are retries with their status. */
  private static final class PostingDestination implements Destination {
    private final Vertx vertx;
    private final int port;
    private HttpClient client;

    PostingDestination(Vertx vertx, int port) {
      this.vertx = vertx;
      this.port = port;
    }

    @Override
    public Future<Void> start() {
      client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
      return Future.succeededFuture();
    }

    @Override
    public Future<SendResult> send(List<Event> batch) {
      Buffer body = Buffer.buffer().appendString("[");
      for (int i = 0; i < batch.size(); i++) {
        if (i > 0) body.appendString(",");
        body.appendBuffer(batch.get(i).payloadBytes());
      }
      body.appendString("]");
      return client.request(HttpMethod.POST, port, "127.0.0.1", "/events")
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? SendResult.delivered()
              : (SendResult) new SendResult.Retry("HTTP " + resp.statusCode(), null, resp.statusCode())));
    }

    @Override
    public Future<Void> stop() {
      return client == null ? Future.succeededFuture() : client.close();
    }

    @Override
    public Limits limits() {
      return new Limits(10, 1 << 20, true);
    }
  }

  private DestinationRunner deliver(LimitedServer server, int events, boolean adaptive) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    DeliveryPolicy policy = new DeliveryPolicy(10, 5, MAX_IN_FLIGHT, Duration.ofMillis(5), Duration.ofMillis(50),
        Duration.ofHours(1), 0, 1_000_000, Duration.ofMillis(100)).withAdaptiveConcurrency(adaptive);
    router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"), new RouteSpec("hook", "http",
        new PostingDestination(vertx, server.server.actualPort()), null, policy));
    DestinationRunner runner = router.runner("hook").orElseThrow();
    await(log.append(TestSupport.events(events, 500)));
    return runner;
  }

  @Test
  void againstAServerThatRefusesBeyondThreeAtOnceTheLimitSettlesNearThreeAndNothingIsLost() {
    LimitedServer server = new LimitedServer().start(serverVertx, 3, 20);
    DestinationRunner runner = deliver(server, 4_000, true);
    List<Integer> limits = new ArrayList<>();
    eventually(Duration.ofSeconds(120), () -> "all delivered: " + runner.status() + ", limits " + limits, () -> {
      limits.add(runner.status().concurrencyLimit());
      return runner.status().delivered() == 4_000;
    });

    assertEquals(4_000, server.received.size(), "every event arrived");
    assertEquals(0, runner.status().deadLettered());
    assertTrue(server.mostOpen.get() <= 3);
    // AIMD probes one past the capacity now and then and backs off: mostly at or below it.
    long atOrBelow = limits.stream().filter(l -> l <= 3).count();
    assertTrue(atOrBelow * 4 >= limits.size() * 3L, "limit over time " + limits);
    assertTrue(limits.stream().allMatch(l -> l <= MAX_IN_FLIGHT));
    // Each probe past the capacity costs a refusal or so; a fixed maxInFlight of 8 would be refused most of the time.
    long sends = server.accepted.sum() + server.refused.sum();
    System.out.println("refused " + server.refused.sum() + " of " + sends + " sends; limit over time " + limits);
    assertTrue(server.refused.sum() * 3 < sends, "refused " + server.refused.sum() + " of " + sends + " sends");
  }

  @Test
  void againstAServerThatTakesEverythingTheLimitClimbsToMaxInFlight() {
    LimitedServer server = new LimitedServer().start(serverVertx, Integer.MAX_VALUE, 20);
    DestinationRunner runner = deliver(server, 6_000, true);
    List<Integer> limits = new ArrayList<>();
    eventually(Duration.ofSeconds(120), () -> "all delivered: " + runner.status() + ", limits " + limits, () -> {
      limits.add(runner.status().concurrencyLimit());
      return runner.status().delivered() == 6_000;
    });

    assertEquals(6_000, server.received.size());
    assertTrue(limits.contains(MAX_IN_FLIGHT), "limit over time " + limits);
    assertEquals(MAX_IN_FLIGHT, server.mostOpen.get(), "the server saw maxInFlight sends at once");
  }

  @Test
  void turnedOffItSendsMaxInFlightAtOnceFromTheStart() {
    LimitedServer server = new LimitedServer().start(serverVertx, Integer.MAX_VALUE, 20);
    DestinationRunner runner = deliver(server, 2_000, false);
    assertEquals(MAX_IN_FLIGHT, runner.status().concurrencyLimit());
    eventually(Duration.ofSeconds(120), () -> "all delivered: " + runner.status(),
        () -> runner.status().delivered() == 2_000);
    assertEquals(MAX_IN_FLIGHT, server.mostOpen.get());
    assertEquals(MAX_IN_FLIGHT, runner.status().concurrencyLimit());
  }
}
