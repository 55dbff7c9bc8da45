package dev.herald.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 playing an http destination that misbehaves as told: down (not
 * listening), throttling (429 with Retry-After), hanging (accepts the request, never answers), or
 * up (200). Counts the arrivals of each messageId it accepted.
 */
final class FaultyDestination {

  enum Mode { UP, DOWN, THROTTLE, HANG }

  final String name;
  private final Vertx vertx;
  private final int port;
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.UP;
  private HttpServer server;

  FaultyDestination(Vertx vertx, String name, int port) {
    this.vertx = vertx;
    this.name = name;
    this.port = port;
  }

  int port() {
    return port;
  }

  /** Switches to {@code next}, starting or stopping the listener as it needs. */
  synchronized void mode(Mode next) {
    mode = next;
    if (next == Mode.DOWN && server != null) {
      Polling.await(server.close());
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      server = Polling.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        switch (mode) {
          case HANG -> { } // never answered: the sender's timeout must end it
          case THROTTLE -> req.response().setStatusCode(429).putHeader("Retry-After", "1").end("{}");
          default -> {
            record(body);
            req.response().setStatusCode(200).end("{}");
          }
        }
      })).listen(port, "127.0.0.1"));
    }
  }

  private void record(Buffer body) {
    String text = body.toString().trim();
    if (text.startsWith("[")) {
      new JsonArray(text).forEach(o -> arrived(((JsonObject) o).getString("messageId")));
    } else {
      for (String line : text.split("\n")) {
        if (!line.isBlank()) arrived(new JsonObject(line).getString("messageId"));
      }
    }
  }

  private void arrived(String messageId) {
    arrivals.computeIfAbsent(messageId, id -> new AtomicInteger()).incrementAndGet();
  }

  boolean receivedAll(Set<String> messageIds) {
    return arrivals.keySet().containsAll(messageIds);
  }

  /** Distinct acknowledged messageIds that arrived. */
  long delivered(Set<String> acknowledged) {
    return acknowledged.stream().filter(arrivals::containsKey).count();
  }

  long duplicates() {
    return arrivals.values().stream().mapToLong(n -> n.get() - 1).sum();
  }

  /** Arrivals of messageIds nobody acknowledged (must be none: only a 200 made an event exist). */
  long unacknowledged(Set<String> acknowledged) {
    return arrivals.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
  }

  synchronized Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
