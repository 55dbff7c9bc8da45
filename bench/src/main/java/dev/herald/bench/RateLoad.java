package dev.herald.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load: {@code /v1/batch} requests of 100 events at a fixed rate, each due at its own
 * time on a fixed schedule whether or not earlier answers came, so a slow answer cannot hold the
 * next requests back (no coordinated omission). Every event carries its request's due time as
 * {@code properties.benchSentUs} (microseconds since {@code originNanos}, the bench JVM's clock), and
 * latencies count from the due time, so time a request waited to be sent is counted too.
 */
final class RateLoad {
  static final int PER_REQUEST = 100;
  private final Vertx vertx;
  private final HttpClient client;
  private final String authorization;
  private final long originNanos;
  final AtomicLong ok = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  private final AtomicLong outstanding = new AtomicLong();
  final AtomicLong maxOutstanding = new AtomicLong();
  private final Percentiles requestLatency = new Percentiles();
  private volatile long recordFromNanos = Long.MAX_VALUE;
  private volatile String overloaded;

  RateLoad(Vertx vertx, int port, String writeKey, int connections, long originNanos) {
    this.vertx = vertx;
    this.originNanos = originNanos;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends {@code requests} requests, the i-th due {@code i / requestsPerSecond} s after the start,
   * with messageIds from {@code firstSequence} on; completes when every one has its answer. Stops
   * sending (and says so in {@link #overloaded()}) once more than 10 s of requests await answers
   * (a waiting request holds no body: it is built once a connection takes it).
   */
  Future<Void> run(double requestsPerSecond, long requests, long firstSequence) {
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    double periodNanos = 1e9 / requestsPerSecond;
    long bound = Math.max(1000, (long) (10 * requestsPerSecond));
    long timer = vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      long next;
      while ((next = sent.get()) < requests && start + (long) (next * periodNanos) <= now && overloaded == null) {
        if (outstanding.get() >= bound) {
          overloaded = "more than " + bound + " requests (10 s of load) awaited answers; stopped sending";
          break;
        }
        sent.incrementAndGet();
        send(start + (long) (next * periodNanos), firstSequence + next * PER_REQUEST);
      }
      if ((sent.get() == requests || overloaded != null) && outstanding.get() == 0) done.tryComplete();
    });
    return done.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  /** Request latencies count for requests due at or after this {@link System#nanoTime()}. */
  void recordFrom(long nanos) {
    recordFromNanos = nanos;
  }

  synchronized Percentiles requestLatency() {
    return requestLatency;
  }

  String overloaded() {
    return overloaded;
  }

  Future<Void> close() {
    return client.close();
  }

  private void send(long dueNanos, long firstId) {
    maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
    long sentUs = (dueNanos - originNanos) / 1000;
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/batch").setIdleTimeout(30_000)
            .putHeader("content-type", "application/json").putHeader("authorization", authorization))
        .compose(req -> req.send(BatchBodies.batch(firstId, PER_REQUEST, sentUs)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          outstanding.decrementAndGet();
          if (ar.succeeded() && ar.result() == 200) {
            ok.incrementAndGet();
            if (dueNanos >= recordFromNanos) {
              synchronized (this) {
                requestLatency.add((System.nanoTime() - dueNanos) / 1000);
              }
            }
          } else {
            failed.incrementAndGet();
          }
        });
  }
}
