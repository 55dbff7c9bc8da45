package dev.herald.bus.router;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination's far end: a real HTTP server on 127.0.0.1 that records every request (a JSON
 * array of events) and answers as the test's {@link Responder} says.
 */
final class CaptureServer {

  /** How to answer request number {@code n} (0-based) carrying {@code events}. */
  interface Responder {
    Reply reply(int n, JsonArray events);
  }

  /** An answer; {@code delayMs} holds it back (a slow destination). */
  record Reply(int status, String body, String retryAfter, long delayMs) {
    static Reply ok() { return new Reply(200, "{}", null, 0); }
    static Reply status(int status, String body) { return new Reply(status, body, null, 0); }
    /** 207 with one outcome per event: "ok", "retry" or "reject". */
    static Reply partial(List<String> outcomes) {
      return new Reply(207, new JsonObject().put("outcomes", new JsonArray(new ArrayList<>(outcomes))).encode(), null, 0);
    }
    Reply delayed(long ms) { return new Reply(status, body, retryAfter, ms); }
    /** 429 asking the client to wait {@code ms}. */
    static Reply throttled(long ms) { return new Reply(429, "slow down", Long.toString(ms), 0); }
  }

  /** One received request and the events it carried. */
  record Request(int n, long atNanos, JsonArray events, int status) {}

  private final Vertx vertx;
  private final List<Request> requests = new ArrayList<>();
  private final List<JsonObject> delivered = new ArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final List<String> timeline;
  private volatile Responder responder = (n, events) -> Reply.ok();
  private HttpServer server;

  CaptureServer(Vertx vertx, List<String> timeline) {
    this.vertx = vertx;
    this.timeline = timeline;
  }

  CaptureServer(Vertx vertx) {
    this(vertx, null);
  }

  CaptureServer respond(Responder r) {
    this.responder = r;
    return this;
  }

  int start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(body -> {
          JsonArray events = body.toJsonArray();
          int n = counter.getAndIncrement();
          peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
          Reply reply = responder.reply(n, events);
          synchronized (this) {
            requests.add(new Request(n, System.nanoTime(), events, reply.status()));
            if (reply.status() == 200) {
              for (int i = 0; i < events.size(); i++) delivered.add(events.getJsonObject(i));
            } else if (reply.status() == 207) {
              JsonArray outcomes = new JsonObject(reply.body()).getJsonArray("outcomes");
              for (int i = 0; i < events.size(); i++) {
                if ("ok".equals(outcomes.getString(i))) delivered.add(events.getJsonObject(i));
              }
            }
          }
          if (timeline != null) timeline.add("request " + reply.status());
          Runnable answer = () -> {
            open.decrementAndGet();
            var resp = req.response().setStatusCode(reply.status());
            if (reply.retryAfter() != null) resp.putHeader("X-Retry-After-Ms", reply.retryAfter());
            resp.end(reply.body());
          };
          if (reply.delayMs() > 0) vertx.setTimer(reply.delayMs(), t -> answer.run());
          else answer.run();
        }));
    return TestSupport.await(server.listen()).actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Events answered "delivered" (200, or "ok" within a 207), in arrival order. */
  synchronized List<JsonObject> delivered() {
    return List.copyOf(delivered);
  }

  synchronized int deliveredCount() {
    return delivered.size();
  }

  /** The most requests this server held unanswered at once. */
  int peakConcurrency() {
    return peakOpen.get();
  }

  int requestCount() {
    return counter.get();
  }
}
