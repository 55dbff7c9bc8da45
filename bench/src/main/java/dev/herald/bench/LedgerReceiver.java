package dev.herald.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination on 127.0.0.1 that records every event's messageId in an {@link IdLedger}, so a run
 * can show each event arrived exactly once. As {@link Kind#HTTP} it takes the http plugin's JSON
 * arrays and answers 200; as {@link Kind#AMPLITUDE} it plays Amplitude's ingestion API
 * ({@code POST /2/httpapi} under 1 MB, {@code /batch} under 20 MB, {@code Content-Type:
 * application/json}, the project's {@code api_key}, an {@code event_type} and {@code time} for
 * every event, else 400/413 in Amplitude's shape) and counts events by {@code insert_id}. With a
 * {@link Percentiles} it also records ingest→arrival latency from each event's
 * {@code properties.benchSentUs} (microseconds on the bench's clock, see {@link RateLoad}).
 */
final class LedgerReceiver {
  enum Kind { HTTP, AMPLITUDE }

  static final String AMPLITUDE_API_KEY = "bench-amplitude-key";
  private static final BodyScan MESSAGE_ID = new BodyScan("messageId", "bench-");
  private static final BodyScan INSERT_ID = new BodyScan("insert_id", "bench-");
  private static final BodyScan EVENT_TYPE = new BodyScan("event_type", "");
  private static final BodyScan TIME = new BodyScan("time", null);
  private static final BodyScan SENT_US = new BodyScan("benchSentUs", null);
  private static final byte[] API_KEY_FIELD = ("\"api_key\":\"" + AMPLITUDE_API_KEY + "\"").getBytes();

  private final Vertx vertx;
  private final Kind kind;
  final IdLedger ledger;
  private final Percentiles latency;
  private final long originNanos;
  private volatile long latencyFromUs = Long.MAX_VALUE;
  /** The worst ingest→arrival latency of the events due in each second of the run, to see stalls in time. */
  final long[] worstPerSecondMs = new long[3600];
  final AtomicLong requests = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  private HttpServer server;

  /** @param latency where ingest→arrival samples go (null: none); @param originNanos the clock origin of benchSentUs */
  LedgerReceiver(Vertx vertx, Kind kind, IdLedger ledger, Percentiles latency, long originNanos) {
    this.vertx = vertx;
    this.kind = kind;
    this.ledger = ledger;
    this.latency = latency;
    this.originNanos = originNanos;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(req -> req.body().onSuccess(body -> handle(req, body)));
    return server.listen().map(HttpServer::actualPort);
  }

  /** Latency is recorded for events sent at or after {@code sentUs} (the measured window). */
  void recordLatencyFrom(long sentUs) {
    latencyFromUs = sentUs;
  }

  private void handle(HttpServerRequest req, Buffer body) {
    long arrivedUs = (System.nanoTime() - originNanos) / 1000;
    requests.incrementAndGet();
    byte[] bytes = body.getBytes();
    if (kind == Kind.HTTP) {
      MESSAGE_ID.forEach(bytes, ledger::record);
      sampleLatency(bytes, arrivedUs);
      req.response().setStatusCode(200).end();
      return;
    }
    String error = amplitudeError(req, bytes);
    if (error != null) {
      refused.incrementAndGet();
      int status = error.startsWith("Payload") ? 413 : 400;
      System.err.println("amplitude receiver: " + status + " " + error);
      req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end("{\"code\":" + status + ",\"error\":\"" + error + "\"}");
      return;
    }
    int events = INSERT_ID.forEach(bytes, ledger::record);
    sampleLatency(bytes, arrivedUs);
    req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end("{\"code\":200,\"events_ingested\":" + events + ",\"payload_size_bytes\":" + bytes.length
            + ",\"server_upload_time\":" + System.currentTimeMillis() + "}");
  }

  /** Amplitude's answer to a request that breaks its contract, or null when it keeps it. */
  private static String amplitudeError(HttpServerRequest req, byte[] body) {
    boolean batch = req.path().equals("/batch");
    if (!batch && !req.path().equals("/2/httpapi")) return "Invalid request path";
    if (!"application/json".equals(req.getHeader("Content-Type"))) return "Invalid Content-Type header";
    if (body.length >= (batch ? 20_000_000 : 1_000_000)) return "Payload too large";
    if (indexOf(body, API_KEY_FIELD) < 0) return "Invalid API key";
    int events = INSERT_ID.forEach(body, id -> { });
    if (events == 0) return "Request missing required field";
    if (EVENT_TYPE.forEach(body, v -> { }) < events || TIME.forEach(body, v -> { }) < events) {
      return "Request missing required field";
    }
    return null;
  }

  private void sampleLatency(byte[] body, long arrivedUs) {
    if (latency == null) return;
    SENT_US.forEach(body, sentUs -> {
      synchronized (latency) {
        if (sentUs >= latencyFromUs) latency.add(arrivedUs - sentUs);
        int second = (int) (sentUs / 1_000_000);
        if (second >= 0 && second < worstPerSecondMs.length) {
          worstPerSecondMs[second] = Math.max(worstPerSecondMs[second], (arrivedUs - sentUs) / 1000);
        }
      }
    });
  }

  private static int indexOf(byte[] body, byte[] part) {
    outer:
    for (int i = 0; i <= body.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (body[i + j] != part[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
