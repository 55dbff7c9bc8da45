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
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code connections} clients each POST a fresh body of the {@link Scenario}
 * (unique messageIds) as soon as the previous answer arrives, for a fixed time.
 */
final class LoadGenerator {
  private final Vertx vertx;
  private final HttpClient client;
  private final int connections;
  private final Scenario scenario;
  private final String authorization;
  private final AtomicLong sequence = new AtomicLong();
  final AtomicLong acceptedEvents = new AtomicLong();
  final AtomicLong okRequests = new AtomicLong();
  final AtomicLong failedRequests = new AtomicLong();
  private final Percentiles requestLatency = new Percentiles();
  private volatile boolean recording;
  private volatile long stopAtNanos;

  /** @param firstSequence where this generator's messageIds start, so that runs never repeat one */
  LoadGenerator(Vertx vertx, int port, String writeKey, int connections, Scenario scenario, long firstSequence) {
    this.vertx = vertx;
    this.connections = connections;
    this.scenario = scenario;
    this.sequence.set(firstSequence);
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /** Runs until {@code seconds} have passed; latencies are recorded once {@link #record()} is called. */
  Future<Void> run(double seconds) {
    stopAtNanos = System.nanoTime() + (long) (seconds * 1e9);
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(connections);
    for (int i = 0; i < connections; i++) {
      loop(() -> {
        if (running.decrementAndGet() == 0) done.tryComplete();
      });
    }
    // A watchdog: a client that never gets an answer must not stall the whole benchmark.
    long watchdog = vertx.setTimer((long) (seconds * 1000) + 40_000, id -> {
      if (done.tryComplete()) {
        System.err.println("load generator: " + running.get() + " of " + connections
            + " clients still waited for an answer 40 s after the run ended; counted as failed");
        failedRequests.addAndGet(running.get());
      }
    });
    return done.future().onComplete(v -> vertx.cancelTimer(watchdog));
  }

  void record() {
    recording = true;
  }

  /** The next messageId sequence number this generator would use. */
  long nextSequence() {
    return sequence.get();
  }

  synchronized Percentiles requestLatency() {
    return requestLatency;
  }

  Future<Void> close() {
    return client.close();
  }

  private void loop(Runnable onFinished) {
    if (System.nanoTime() >= stopAtNanos) {
      onFinished.run();
      return;
    }
    int eventsPerRequest = scenario.eventsPerRequest;
    Buffer body = scenario.body(sequence.getAndAdd(eventsPerRequest));
    long start = System.nanoTime();
    // A request that hangs counts as failed instead of stalling the run.
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(scenario.path).setIdleTimeout(30_000)
        .putHeader("content-type", "application/json").putHeader("authorization", authorization);
    if (scenario.gzip) {
      options.putHeader("content-encoding", "gzip");
    }
    client.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          long micros = (System.nanoTime() - start) / 1000;
          if (ar.succeeded() && ar.result() == 200) {
            okRequests.incrementAndGet();
            acceptedEvents.addAndGet(eventsPerRequest);
            if (recording) {
              synchronized (this) {
                requestLatency.add(micros);
              }
            }
          } else {
            failedRequests.incrementAndGet();
          }
          loop(onFinished);
        });
  }
}
