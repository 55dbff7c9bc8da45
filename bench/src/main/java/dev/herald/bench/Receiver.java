package dev.herald.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays an HTTP destination on 127.0.0.1: answers 200 to every JSON-array POST, counts the events
 * and samples the ingest→arrival latency from each event's {@code receivedAt}.
 */
final class Receiver {
  private static final JsonFactory JSON = new JsonFactory();

  private final Vertx vertx;
  private HttpServer server;
  final AtomicLong events = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  private final Percentiles arrivalLatency = new Percentiles();
  private volatile boolean sampling;

  Receiver(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(req -> req.body().onSuccess(body -> {
      long arrivedMicros = Instant.now().toEpochMilli() * 1000;
      int count = countAndSample(body, arrivedMicros);
      events.addAndGet(count);
      requests.incrementAndGet();
      req.response().setStatusCode(200).end();
    }));
    return server.listen().map(HttpServer::actualPort);
  }

  /** Starts recording latencies (after warm-up). */
  void startSampling() {
    sampling = true;
  }

  synchronized Percentiles arrivalLatency() {
    return arrivalLatency;
  }

  private int countAndSample(Buffer body, long arrivedMicros) {
    int count = 0;
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) return 0;
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        count++;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if (sampling && "receivedAt".equals(field)) {
            long receivedMicros = Instant.parse(parser.getText()).toEpochMilli() * 1000;
            synchronized (this) {
              arrivalLatency.add(arrivedMicros - receivedMicros);
            }
          } else {
            parser.skipChildren();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("receiver: unparsable body: " + e);
    }
    return count;
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
