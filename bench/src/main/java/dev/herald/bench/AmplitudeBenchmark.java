package dev.herald.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Amplitude destination draining a backlog: phase one runs the fat JAR with no destination
 * and ingests {@code events} Segment track events (~600 bytes) into its embedded log; phase two
 * restarts it with an {@code amplitude} destination, whose new cursor starts at the beginning of
 * the log, pointed at a local server answering every request 200 in Amplitude's shape at once.
 * Prints events/s from the first request to the last event, and the request count.
 * Usage: {@code bench/amplitude.sh [events=1000000]}.
 */
public final class AmplitudeBenchmark {

  private static final String WRITE_KEY = "bench-write-key";
  private static final String API_KEY = "bench-amplitude-key";
  private static final int EVENTS_PER_INGEST_REQUEST = 500;
  private static final int MAX_IN_FLIGHT = Integer.getInteger("bench.maxInFlight", 4);

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path jar = root.resolve("launcher/target/herald.jar");
    Path work = Files.createTempDirectory("herald-amplitude-bench");
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Sink sink = new Sink();
    int sinkPort = sink.start(vertx).await();

    try {
      long ingestStart = System.nanoTime();
      try (Child herald = Child.start(jar, work, config(work, root, null))) {
        ingest(vertx, herald.port, events);
      }
      double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
      System.out.printf(Locale.ROOT, "backlog: %d events ingested into the embedded log in %.1f s%n", events, ingestSeconds);

      long startedAt = System.nanoTime();
      try (Child herald = Child.start(jar, work, config(work, root, sinkPort))) {
        long readyAt = System.nanoTime();
        long deadline = readyAt + TimeUnit.MINUTES.toNanos(10);
        while (sink.events.get() < events && System.nanoTime() < deadline) Thread.sleep(20); // polling, bounded
        long doneAt = System.nanoTime();
        double window = (sink.lastAt - sink.firstAt) / 1e9;
        System.out.println();
        System.out.println("Herald amplitude benchmark: a backlog of " + events + " track events (~600 B) in the"
            + " embedded log, delivered through the amplitude plugin (HTTP V2, batchEvents 2000, maxInFlight " + MAX_IN_FLIGHT + ") to a"
            + " local server answering 200 at once; " + Runtime.getRuntime().availableProcessors()
            + " cores shared by Herald and the server");
        row("events delivered", sink.events.get());
        row("requests", sink.requests.get());
        row("events per request", (double) sink.events.get() / Math.max(1, sink.requests.get()));
        row("events/s (first request to last event)", sink.events.get() / window);
        row("events/s (Herald ready to last event)", sink.events.get() / ((doneAt - readyAt) / 1e9));
        row("seconds from start to last event", (doneAt - startedAt) / 1e9);
        row("largest request body KB", sink.maxBodyBytes.get() / 1024.0);
        row("Herald peak RSS MB", herald.peakRssMb());
        System.out.println(sink.events.get() >= events ? "all " + events + " events delivered"
            : "NOT DRAINED: delivered " + sink.events.get() + " of " + events);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static String config(Path work, Path root, Integer sinkPort) throws IOException {
    String destinations = sinkPort == null ? "[]" : """

          - id: amplitude
            type: amplitude
            config: { apiKey: "%s", endpoint: "http://127.0.0.1:%d" }
            delivery: { batchEvents: 2000, lingerMs: 50, maxInFlight: %d }
        """.formatted(API_KEY, sinkPort, MAX_IN_FLIGHT);
    return """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        sources: [{ id: bench, writeKey: "%s" }]
        log: { type: embedded, dir: "%s", fsync: interval, retention: { maxBytes: 10GB, maxAge: 7d } }
        plugins: { dir: "%s" }
        destinations: %s
        """.formatted(freePort(), freePort(), WRITE_KEY, work.resolve("data"), root.resolve("plugins"), destinations);
  }

  /** Posts the backlog as {@code /v1/batch} requests, a few at a time, retrying any that fail. */
  private static void ingest(Vertx vertx, int port, long events) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
    String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    AtomicLong next = new AtomicLong();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> postNext(client, port, auth, next, events, done));
      workers.add(done.future());
    }
    Future.all(workers).await();
    client.close().await();
  }

  private static void postNext(HttpClient client, int port, String auth, AtomicLong next, long total, Promise<Void> done) {
    long first = next.getAndAdd(EVENTS_PER_INGEST_REQUEST);
    if (first >= total) {
      done.complete();
      return;
    }
    int count = (int) Math.min(EVENTS_PER_INGEST_REQUEST, total - first);
    Buffer body = batch(first, count);
    post(client, port, auth, body).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 200) {
        postNext(client, port, auth, next, total, done);
      } else {
        System.err.println("ingest request failed (" + (ar.succeeded() ? ar.result() : ar.cause()) + "); retrying");
        retry(client, port, auth, body, next, total, done);
      }
    });
  }

  private static void retry(HttpClient client, int port, String auth, Buffer body, AtomicLong next, long total,
      Promise<Void> done) {
    post(client, port, auth, body).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 200) postNext(client, port, auth, next, total, done);
      else retry(client, port, auth, body, next, total, done);
    });
  }

  /** A {@code /v1/batch} body of ~600-byte track events with unique messageIds, 10,000 users. */
  static Buffer batch(long firstSequence, int count) {
    StringBuilder sb = new StringBuilder(count * 640 + 64).append("{\"batch\":[");
    for (int i = 0; i < count; i++) {
      long seq = firstSequence + i;
      if (i > 0) sb.append(',');
      sb.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-").append(seq % 10_000)
          .append("\",\"messageId\":\"amp-bench-").append(seq)
          .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":").append(PROPERTIES)
          .append(",\"context\":").append(CONTEXT).append('}');
    }
    return Buffer.buffer(sb.append("]}").toString());
  }

  private static final String PROPERTIES = "{\"plan\":\"pro\",\"revenue\":42.5,\"currency\":\"EUR\","
      + "\"items\":[{\"sku\":\"A-100\",\"qty\":1},{\"sku\":\"B-200\",\"qty\":2}],"
      + "\"referrer\":\"https://example.com/landing/spring-campaign?utm_source=newsletter\"}";
  private static final String CONTEXT = "{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.4\"},"
      + "\"app\":{\"version\":\"4.2.0\"},\"os\":{\"name\":\"iOS\",\"version\":\"17.4\"},"
      + "\"ip\":\"203.0.113.7\",\"locale\":\"en-GB\",\"timezone\":\"Europe/Berlin\"}";

  private static Future<Integer> post(HttpClient client, int port, String auth, Buffer body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/v1/batch").putHeader("Content-Type", "application/json").putHeader("Authorization", auth))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  /**
   * Plays Amplitude answering everything at once: counts a request's events by their
   * {@code insert_id} keys (no full parse, so the server costs the shared cores little) and
   * answers {@code 200 {"code":200,"events_ingested":…}}.
   */
  static final class Sink {
    private static final byte[] INSERT_ID = "\"insert_id\":".getBytes(StandardCharsets.UTF_8);
    final AtomicLong events = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong maxBodyBytes = new AtomicLong();
    volatile long firstAt;
    volatile long lastAt;

    Future<Integer> start(Vertx vertx) {
      HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        long now = System.nanoTime();
        if (requests.getAndIncrement() == 0) firstAt = now;
        int count = count(body.getBytes());
        maxBodyBytes.accumulateAndGet(body.length(), Math::max);
        events.addAndGet(count);
        lastAt = now;
        req.response().putHeader("Content-Type", "application/json").end("{\"code\":200,\"events_ingested\":" + count
            + ",\"payload_size_bytes\":" + body.length() + ",\"server_upload_time\":" + System.currentTimeMillis() + "}");
      }));
      return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
    }

    private static int count(byte[] body) {
      int n = 0;
      outer:
      for (int i = 0; i <= body.length - INSERT_ID.length; i++) {
        for (int j = 0; j < INSERT_ID.length; j++) {
          if (body[i + j] != INSERT_ID[j]) continue outer;
        }
        n++;
      }
      return n;
    }
  }

  /** The fat JAR as a child JVM on a config, ready once it answers {@code /v1/ping}; SIGTERM to stop. */
  static final class Child implements AutoCloseable {
    private final Process process;
    final int port;

    private Child(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Child start(Path jar, Path work, String yaml) throws IOException, InterruptedException {
      int port = Integer.parseInt(yaml.replaceAll("(?s).*server: \\{ host: 127.0.0.1, port: (\\d+).*", "$1"));
      Path config = Files.writeString(work.resolve("herald.yaml"), yaml);
      Path log = work.resolve("herald.log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
      String extra = System.getProperty("bench.jvmArgs", "").trim(); // e.g. a flight recording of Herald
      if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
      command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
      Process process = new ProcessBuilder(command)
          .directory(work.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) throw new IllegalStateException("Herald exited at start-up:\n" + Files.readString(log));
        try {
          var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ping"))
              .timeout(Duration.ofSeconds(1)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 204) return new Child(process, port);
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(100); // polling an external process's readiness, bounded by the deadline
      }
      process.destroyForcibly();
      throw new IllegalStateException("Herald not ready after 60 s:\n" + Files.readString(log));
    }

    long peakRssMb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
      return -1;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void row(String name, double value) {
    System.out.printf(Locale.ROOT, "  %-42s %12.1f%n", name, value);
  }
}
