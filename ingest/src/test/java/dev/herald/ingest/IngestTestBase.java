package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real verticle on 127.0.0.1:0 over a real log in a temp dir, with a WebClient.
 * Requests are made from the test thread and awaited with a deadline.
 */
@ExtendWith(VertxExtension.class)
abstract class IngestTestBase {

  static final String WEB_KEY = "wk_web_3f9a1c";
  static final String BACKEND_KEY = "wk_backend_77d2e0";
  static final long TIMEOUT_SECONDS = 20;
  /** Test sources may post to every raw topic (the default is none). */
  static final List<String> ALL_TOPICS = List.of("*");
  private static final AtomicInteger READERS = new AtomicInteger();

  @TempDir Path logDir;
  Vertx vertx;
  EventLog log;
  IngestState state;
  IngestVerticle verticle;
  WebClient client;
  int port;

  /** The options a test class runs with; override to change limits. */
  IngestOptions options() {
    return IngestOptions.defaults(List.of(new SourceOptions("web", WEB_KEY).withRawTopics(ALL_TOPICS),
            new SourceOptions("backend", BACKEND_KEY).withRawTopics(ALL_TOPICS)))
        .withHost("127.0.0.1")
        .withPort(0);
  }

  /** The log the verticle appends to; override to put a wrapper around it. */
  EventLog createLog(Vertx vertx, Path dir) throws Exception {
    return TestLogs.open(vertx, dir);
  }

  /** The clock ingest runs on; override with a {@link TestClock} to move time by hand. */
  Clock clock() {
    return Clock.systemUTC();
  }

  @BeforeEach
  void startIngest(Vertx vertx) throws Exception {
    this.vertx = vertx;
    log = createLog(vertx, logDir);
    IngestOptions options = options();
    state = await(IngestState.open(vertx, options, clock()));
    verticle = new IngestVerticle(options, log, state);
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void stopIngest() throws Exception {
    client.close();
    await(state.close());
    await(log.close().recover(e -> Future.succeededFuture()));
  }

  /** Stops the verticle and its state, then starts both again on the same log and state dir. */
  void restartIngest() throws Exception {
    await(vertx.undeploy(verticle.deploymentID()));
    await(state.close());
    IngestOptions options = options();
    state = await(IngestState.open(vertx, options, clock()));
    verticle = new IngestVerticle(options, log, state);
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    client.close();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs a JSON body with the write key as HTTP Basic user (none when key is null). */
  HttpResponse<Buffer> post(String path, Object body, String key) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    if (key != null) {
      headers.add("Authorization", basic(key));
    }
    return post(path, Buffer.buffer(body.toString()), headers);
  }

  HttpResponse<Buffer> post(String path, Buffer body, MultiMap headers) throws Exception {
    return await(client.post(path).putHeaders(headers).sendBuffer(body));
  }

  /** Every event now in the log, read through a fresh subscription. */
  List<LogEntry> readLog() throws Exception {
    LogSubscription subscription = await(log.subscribe("test-reader-" + READERS.incrementAndGet()));
    List<LogEntry> all = new ArrayList<>();
    try {
      while (true) {
        List<LogEntry> page = await(subscription.poll(1000, 16L * 1024 * 1024));
        if (page.isEmpty()) {
          return all;
        }
        all.addAll(page);
      }
    } finally {
      await(subscription.close());
    }
  }

  /** Polls the log until it holds {@code count} events or the deadline passes. */
  List<LogEntry> awaitLogSize(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    List<LogEntry> entries = readLog();
    while (entries.size() < count && System.nanoTime() < deadline) {
      await(Future.future(p -> vertx.setTimer(50, id -> p.complete())));
      entries = readLog();
    }
    return entries;
  }

  /** Headers with the write key as HTTP Basic user and the given Content-Type. */
  static MultiMap headers(String key, String contentType) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (key != null) {
      headers.add("Authorization", basic(key));
    }
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return headers;
  }

  static JsonObject json(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject();
  }

  /** Asserts an error answer: status, JSON content type, success false and the code. */
  static JsonObject assertError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("success"));
    assertEquals(code, body.getString("code"));
    assertFalse(body.getString("message").isBlank());
    return body;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static JsonObject track(String userId, String event) {
    return new JsonObject().put("userId", userId).put("event", event)
        .put("properties", new JsonObject().put("plan", "pro"));
  }
}
