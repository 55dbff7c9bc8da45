package dev.herald.destination.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import dev.herald.destination.testkit.TestDestinationContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The http destination against a real Vert.x HTTP server on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class HttpDestinationTest {

  private static final String TOKEN = "tok-SECRET-123";

  /** What the server received. */
  record Received(String method, String uri, MultiMap headers, Buffer body) {}

  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private volatile Consumer<HttpServerRequest> responder = req -> req.response().setStatusCode(200).end();
  private HttpServer server;
  private final List<TestDestinationContext> contexts = new ArrayList<>();
  private String endpoint;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      responder.accept(req);
    }));
    server.listen(0, "127.0.0.1").onComplete(ctx.succeeding(s -> {
      endpoint = "http://127.0.0.1:" + s.actualPort() + "/ingest?api_key=QUERY-SECRET";
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop() {
    contexts.forEach(TestDestinationContext::close);
  }

  @Test
  void postsPayloadsAsJsonArrayWithHeaders(Vertx vertx, VertxTestContext ctx) {
    Destination destination = destination(vertx, new JsonObject().put("headers", new JsonObject().put("X-Team", "growth")));
    send(destination, List.of(event("m1", "{\"a\":1}"), event("m2", "{\"b\":\"é\"}")), ctx, result -> {
      assertInstanceOf(SendResult.Delivered.class, result);
      Received r = single();
      assertEquals("POST", r.method());
      assertEquals("/ingest?api_key=QUERY-SECRET", r.uri());
      assertEquals("[{\"a\":1},{\"b\":\"é\"}]", r.body().toString(StandardCharsets.UTF_8));
      assertEquals("application/json", r.headers().get("Content-Type"));
      assertEquals("growth", r.headers().get("X-Team"));
      assertNull(r.headers().get("Authorization"));
      assertNull(r.headers().get("Idempotency-Key"));
    });
  }

  @Test
  void sendsBearerToken(Vertx vertx, VertxTestContext ctx) {
    Destination destination = destination(vertx, new JsonObject().put("bearerToken", TOKEN).put("method", "put"));
    send(destination, List.of(event("m1", "{}")), ctx, result -> {
      Received r = single();
      assertEquals("PUT", r.method());
      assertEquals("Bearer " + TOKEN, r.headers().get("Authorization"));
    });
  }

  @Test
  void sendsBasicAuth(Vertx vertx, VertxTestContext ctx) {
    Destination destination = destination(vertx, new JsonObject().put("basicUser", "herald").put("basicPassword", "pä55"));
    send(destination, List.of(event("m1", "{}")), ctx, result -> {
      String expected = Base64.getEncoder().encodeToString("herald:pä55".getBytes(StandardCharsets.UTF_8));
      assertEquals("Basic " + expected, single().headers().get("Authorization"));
    });
  }

  @Test
  void ndjsonModeSendsOnePayloadPerLine(Vertx vertx, VertxTestContext ctx) {
    Destination destination = destination(vertx, new JsonObject().put("bodyMode", "ndjson"));
    send(destination, List.of(event("m1", "{\"a\":1}"), event("m2", "{\"b\":2}")), ctx, result -> {
      Received r = single();
      assertEquals("{\"a\":1}\n{\"b\":2}\n", r.body().toString());
      assertEquals("application/x-ndjson", r.headers().get("Content-Type"));
    });
  }

  @Test
  void singleModeSendsBarePayloadWithIdempotencyKey(Vertx vertx, VertxTestContext ctx) {
    Destination destination = destination(vertx, new JsonObject().put("bodyMode", "single"));
    assertEquals(1, destination.limits().maxEvents());
    send(destination, List.of(event("m-42", "{\"events\":[{\"event_type\":\"signup\"}]}")), ctx, result -> {
      assertInstanceOf(SendResult.Delivered.class, result);
      Received r = single();
      assertEquals("{\"events\":[{\"event_type\":\"signup\"}]}", r.body().toString());
      assertEquals("m-42", r.headers().get("Idempotency-Key"));
    });
  }

  @Test
  void singleModeGivenSeveralEventsAnswersPerEvent(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(req.getHeader("Idempotency-Key").equals("bad") ? 422 : 200).end();
    Destination destination = destination(vertx, new JsonObject().put("bodyMode", "single"));
    send(destination, List.of(event("ok", "{}"), event("bad", "{}")), ctx, result -> {
      SendResult.Partial partial = assertInstanceOf(SendResult.Partial.class, result);
      assertInstanceOf(SendResult.Delivered.class, partial.outcomes().get(0));
      assertEquals(422, assertInstanceOf(SendResult.Rejected.class, partial.outcomes().get(1)).status());
      assertEquals(List.of("ok", "bad"), received.stream().map(r -> r.headers().get("Idempotency-Key")).toList());
    });
  }

  @Test
  void singleModeHoldsBackEventsBehindARetry(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(req.getHeader("Idempotency-Key").equals("busy") ? 503 : 200).end();
    Destination destination = destination(vertx, new JsonObject().put("bodyMode", "single"));
    send(destination, List.of(event("ok", "{}"), event("busy", "{}"), event("later", "{}")), ctx, result -> {
      List<SendResult> outcomes = assertInstanceOf(SendResult.Partial.class, result).outcomes();
      assertInstanceOf(SendResult.Delivered.class, outcomes.get(0));
      assertEquals(503, assertInstanceOf(SendResult.Retry.class, outcomes.get(1)).status());
      assertInstanceOf(SendResult.Retry.class, outcomes.get(2));
      assertEquals(List.of("ok", "busy"), received.stream().map(r -> r.headers().get("Idempotency-Key")).toList());
    });
  }

  @Test
  void anyTwoHundredIsDelivered(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(204).end();
    send(destination(vertx, new JsonObject()), List.of(event("m1", "{}")), ctx,
        result -> assertInstanceOf(SendResult.Delivered.class, result));
  }

  @Test
  void serviceUnavailableRetriesAfterSeconds(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(503).putHeader("Retry-After", "7").end("down");
    Destination destination = destination(vertx, new JsonObject().put("bearerToken", TOKEN));
    send(destination, List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertEquals(503, retry.status());
      assertEquals(Duration.ofSeconds(7), retry.retryAfter());
      assertNoSecrets(retry.reason());
    });
  }

  @Test
  void tooManyRequestsRetriesAfterHttpDate(Vertx vertx, VertxTestContext ctx) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
    responder = req -> req.response().setStatusCode(429).putHeader("Retry-After", date).end();
    send(destination(vertx, new JsonObject()), List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertEquals(429, retry.status());
      long seconds = retry.retryAfter().toSeconds();
      assertTrue(seconds >= 25 && seconds <= 30, "retryAfter " + retry.retryAfter());
    });
  }

  @Test
  void requestTimeoutStatusRetriesWithoutHint(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(408).end();
    send(destination(vertx, new JsonObject()), List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertEquals(408, retry.status());
      assertNull(retry.retryAfter());
    });
  }

  @Test
  void badRequestIsRejectedWithBoundedExcerpt(Vertx vertx, VertxTestContext ctx) {
    String body = "invalid event: " + "x".repeat(5000);
    responder = req -> req.response().setStatusCode(400).end(body);
    Destination destination = destination(vertx, new JsonObject().put("headers", new JsonObject().put("X-Key", TOKEN)));
    send(destination, List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Rejected rejected = assertInstanceOf(SendResult.Rejected.class, result);
      assertEquals(400, rejected.status());
      assertEquals(HttpDestination.EXCERPT_LIMIT, rejected.responseExcerpt().length());
      assertEquals(body.substring(0, HttpDestination.EXCERPT_LIMIT), rejected.responseExcerpt());
      assertNoSecrets(rejected.reason());
    });
  }

  @Test
  void notImplementedIsRejected(Vertx vertx, VertxTestContext ctx) {
    responder = req -> req.response().setStatusCode(501).end("no");
    send(destination(vertx, new JsonObject()), List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Rejected rejected = assertInstanceOf(SendResult.Rejected.class, result);
      assertEquals(501, rejected.status());
      assertEquals("no", rejected.responseExcerpt());
    });
  }

  @Test
  void connectionRefusedRetriesWithStatusZero(Vertx vertx, VertxTestContext ctx) throws Exception {
    // A port that was just free and nothing listens on: refused at once, with no race against a closing server.
    int unusedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      unusedPort = probe.getLocalPort();
    }
    Destination destination = destination(vertx,
        new JsonObject().put("endpoint", "http://127.0.0.1:" + unusedPort + "/events").put("bearerToken", TOKEN));
    destination.send(List.of(event("m1", "{}"))).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertEquals(0, retry.status());
      assertNull(retry.retryAfter());
      assertTrue(retry.reason().startsWith("connection failed"), retry.reason());
      assertNoSecrets(retry.reason());
      ctx.completeNow();
    })));
  }

  @Test
  void silentServerTimesOutAsRetry(Vertx vertx, VertxTestContext ctx) {
    responder = req -> { }; // never answers
    Destination destination = destination(vertx, new JsonObject().put("timeoutMs", 200));
    send(destination, List.of(event("m1", "{}")), ctx, result -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertEquals(0, retry.status());
      assertTrue(retry.reason().startsWith("no answer within 200 ms"), retry.reason());
      assertNoSecrets(retry.reason());
    });
  }

  @Test
  void anAnswerTrickledPastTheSendTimeoutIsAbandonedAndItsConnectionClosed(Vertx vertx, VertxTestContext ctx) {
    io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
    responder = req -> {
      // One byte every 100 ms, forever: the idle timeout (10 s) never fires.
      req.response().setChunked(true).setStatusCode(200).write("[");
      long timer = vertx.setPeriodic(100, t -> req.response().write(" "));
      req.connection().closeHandler(v -> {
        vertx.cancelTimer(timer);
        closed.tryComplete();
      });
    };
    JsonObject config = new JsonObject().put("endpoint", endpoint);
    TestDestinationContext context = TestDestinationContext.of(vertx, new HttpDestinationFactory(), config)
        .sendTimeout(Duration.ofMillis(500));
    contexts.add(context);
    Destination destination = context.create(new HttpDestinationFactory());
    long start = System.nanoTime();
    destination.send(List.of(event("m1", "{}"))).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class, result);
      assertTrue(retry.reason().startsWith("no complete answer within 500 ms"), retry.reason());
      assertNoSecrets(retry.reason());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "abandoned at the send timeout, not at the idle timeout");
      // The request is gone for good before the runner could resend it: its connection is closed.
      closed.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  void limitsComeFromConfig(Vertx vertx) {
    Destination destination = destination(vertx, new JsonObject().put("maxEvents", 50).put("maxBytes", 1000).put("ordered", false));
    assertEquals(50, destination.limits().maxEvents());
    assertEquals(1000, destination.limits().maxBytes());
    assertFalse(destination.limits().ordered());
    Destination defaults = destination(vertx, new JsonObject());
    assertEquals(500, defaults.limits().maxEvents());
    assertEquals(5L * 1024 * 1024, defaults.limits().maxBytes());
    assertTrue(defaults.limits().ordered());
  }

  private Destination destination(Vertx vertx, JsonObject extra) {
    JsonObject config = new JsonObject().put("endpoint", endpoint).mergeIn(extra);
    TestDestinationContext context = TestDestinationContext.of(vertx, new HttpDestinationFactory(), config);
    contexts.add(context);
    return context.create(new HttpDestinationFactory());
  }

  private static void send(Destination destination, List<Event> batch, VertxTestContext ctx, Consumer<SendResult> check) {
    Future<SendResult> future = destination.send(batch);
    future.onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      check.accept(result);
      ctx.completeNow();
    })));
  }

  private Received single() {
    assertEquals(1, received.size(), "requests received");
    return received.peek();
  }

  private static void assertNoSecrets(String text) {
    assertFalse(text.contains(TOKEN), text);
    assertFalse(text.contains("QUERY-SECRET"), text);
    assertFalse(text.contains("/ingest"), text);
  }

  static Event event(String messageId, String json) {
    return new Event(messageId, "track", "analytics", "web", "user-1", Instant.now(), Buffer.buffer(json));
  }
}
