package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A real HTTP server on 127.0.0.1 playing an http destination: counts how many times each
 * messageId arrives in the events it accepts and answers with whatever status the test sets.
 */
final class DestinationServer {

  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicLong requests = new AtomicLong();
  private final HttpServer server;

  private DestinationServer(HttpServer server) {
    this.server = server;
  }

  static Future<DestinationServer> start(Vertx vertx, int port) {
    DestinationServer[] self = new DestinationServer[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      self[0].requests.incrementAndGet();
      int answer = self[0].status.get();
      if (answer == 200) self[0].record(body);
      req.response().setStatusCode(answer).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", answer).encode());
    }));
    self[0] = new DestinationServer(server);
    return server.listen(port, "127.0.0.1").map(s -> self[0]);
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

  /** The distinct messageIds that arrived. */
  Set<String> received() {
    return Set.copyOf(arrivals.keySet());
  }

  /** Whether every one of {@code messageIds} arrived at least once. */
  boolean receivedAll(Set<String> messageIds) {
    return arrivals.keySet().containsAll(messageIds);
  }

  /** How many arrivals were second (or later) arrivals of a messageId. */
  long duplicates() {
    return arrivals.values().stream().mapToLong(n -> n.get() - 1).sum();
  }

  /** The promise without a crash: each of {@code sent} arrived exactly once, and nothing else did. */
  void assertEachArrivedExactlyOnce(Set<String> sent) {
    Map<String, Integer> wrong = new TreeMap<>();
    arrivals.forEach((id, n) -> {
      if (n.get() != 1 || !sent.contains(id)) wrong.put(id, n.get());
    });
    for (String id : sent) if (!arrivals.containsKey(id)) wrong.put(id, 0);
    assertEquals(Map.of(), firstTen(wrong), wrong.size() + " messageIds of " + sent.size()
        + " sent did not arrive exactly once (messageId=arrivals, 0 = never; the first ten shown); "
        + duplicates() + " duplicate arrivals");
  }

  /**
   * The promise across a crash: each of {@code acknowledged} arrived at least once, nothing
   * unacknowledged arrived; duplicates are allowed and counted in the message.
   */
  void assertEachArrivedAtLeastOnce(Set<String> acknowledged) {
    Set<String> missing = new TreeSet<>(acknowledged);
    missing.removeAll(arrivals.keySet());
    String counts = arrivals.size() + " distinct of " + acknowledged.size() + " acknowledged arrived, "
        + duplicates() + " duplicate arrivals";
    assertEquals(Set.of(), missing.stream().limit(10).collect(Collectors.toSet()),
        missing.size() + " acknowledged messageIds never arrived (first ten shown); " + counts);
    assertTrue(acknowledged.containsAll(arrivals.keySet()), "an event nobody acknowledged arrived; " + counts);
  }

  private static Map<String, Integer> firstTen(Map<String, Integer> all) {
    Map<String, Integer> out = new TreeMap<>();
    all.entrySet().stream().limit(10).forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
