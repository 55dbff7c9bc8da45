package dev.herald.bus.router;

import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal destination plugin: POSTs the batch as a JSON array to a {@link CaptureServer} and
 * classifies the answer the way real plugins do.
 */
class HttpTestDestination implements Destination {

  private final Vertx vertx;
  private final int port;
  private final Limits limits;
  private HttpClient client;

  HttpTestDestination(Vertx vertx, int port, Limits limits) {
    this.vertx = vertx;
    this.port = port;
    this.limits = limits;
  }

  HttpTestDestination(Vertx vertx, int port) {
    this(vertx, port, Limits.DEFAULT);
  }

  @Override
  public Future<Void> start() {
    client = vertx.createHttpClient();
    return Future.succeededFuture();
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    JsonArray body = new JsonArray();
    for (Event e : batch) body.add(e.payload());
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/events")
        .compose(req -> req.putHeader("content-type", "application/json").send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> classify(resp, b, batch.size())));
  }

  private static SendResult classify(HttpClientResponse resp, Buffer body, int size) {
    int status = resp.statusCode();
    if (status == 200) return SendResult.delivered();
    if (status == 207) {
      JsonArray outcomes = new JsonObject(body).getJsonArray("outcomes");
      List<SendResult> results = new ArrayList<>(size);
      for (int i = 0; i < outcomes.size(); i++) {
        results.add(switch (outcomes.getString(i)) {
          case "ok" -> SendResult.delivered();
          case "retry" -> SendResult.retry("event throttled", null);
          default -> SendResult.rejected("invalid event", 400, "event " + i + " is invalid");
        });
      }
      return SendResult.partial(results);
    }
    if (status == 429 || status >= 500) {
      String afterMs = resp.getHeader("X-Retry-After-Ms"); // milliseconds keep the tests fast
      return SendResult.retry("HTTP " + status, afterMs == null ? null : Duration.ofMillis(Long.parseLong(afterMs)));
    }
    return SendResult.rejected("HTTP " + status, status, body.toString());
  }

  @Override
  public Future<Void> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  @Override
  public Limits limits() {
    return limits;
  }
}
