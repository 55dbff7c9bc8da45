package dev.herald.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 playing an http destination: records the messageIds of the
 * events it accepts and answers with whatever status the test sets.
 */
final class DestinationServer {

  final Set<String> received = ConcurrentHashMap.newKeySet();
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicLong requests = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
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
      new JsonArray(text).forEach(o -> add(((JsonObject) o).getString("messageId")));
    } else {
      for (String line : text.split("\n")) {
        if (!line.isBlank()) add(new JsonObject(line).getString("messageId"));
      }
    }
  }

  private void add(String messageId) {
    if (!received.add(messageId)) duplicates.incrementAndGet();
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
