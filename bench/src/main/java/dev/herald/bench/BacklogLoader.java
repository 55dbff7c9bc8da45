package dev.herald.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingests a fixed number of events ({@code bench-<n>} for n in {@code [0, events)}) through
 * {@code /v1/batch}, 100 per request, {@code connections} requests at a time; a request that fails
 * is sent again (the messageIds make a repeat harmless: Herald deduplicates). Gives up when no
 * request has succeeded for {@code stallSeconds}.
 */
final class BacklogLoader {
  private static final int PER_REQUEST = 100;
  private final Vertx vertx;
  private final HttpClient client;
  private final String authorization;
  private final int connections;
  private final AtomicLong next = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  private volatile long lastSuccessNanos = System.nanoTime();
  private volatile boolean stalled;

  BacklogLoader(Vertx vertx, int port, String writeKey, int connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /** Completes once all {@code events} were accepted, or fails when the ingest stalled. */
  Future<Void> load(long events, double stallSeconds) {
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> postNext(events, done));
      workers.add(done.future());
    }
    long watchdog = vertx.setPeriodic(1000, id -> {
      if (System.nanoTime() - lastSuccessNanos > stallSeconds * 1e9) stalled = true;
    });
    return Future.all(workers).<Void>mapEmpty().eventually(() -> {
      vertx.cancelTimer(watchdog);
      return client.close();
    });
  }

  private void postNext(long total, Promise<Void> done) {
    long first = next.getAndAdd(PER_REQUEST);
    if (first >= total) {
      done.tryComplete();
      return;
    }
    int count = (int) Math.min(PER_REQUEST, total - first);
    send(BatchBodies.batch(first, count), count, total, done);
  }

  private void send(Buffer body, int count, long total, Promise<Void> done) {
    if (stalled) {
      done.tryFail("ingest stalled: no request accepted for a while; " + accepted.get() + " events accepted");
      return;
    }
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/batch").setIdleTimeout(30_000)
            .putHeader("content-type", "application/json").putHeader("authorization", authorization))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) {
            accepted.addAndGet(count);
            lastSuccessNanos = System.nanoTime();
            postNext(total, done);
          } else {
            retried.incrementAndGet();
            // a short pause before the repeat, so a refusing Herald is not hammered
            vertx.setTimer(100, id -> send(body, count, total, done));
          }
        });
  }
}
