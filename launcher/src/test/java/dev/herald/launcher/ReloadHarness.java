package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.reload.ConfigSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Herald in-process started from a config file that a test rewrites and then reloads, with http
 * destinations pointing at {@link Sink}s: real servers on 127.0.0.1 that count each messageId
 * they accept and can hold their answers (a send in flight) until released.
 */
final class ReloadHarness {

  static final String ADMIN_TOKEN = "reload-admin-token";

  private final Vertx vertx;
  final Path dir;
  final Path file;
  final WebClient client;
  final int ingestPort = Ports.free();
  Herald herald;

  ReloadHarness(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
    this.file = dir.resolve("herald.yaml");
    this.client = WebClient.create(vertx);
  }

  /** A destination's server. */
  static final class Sink {
    final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    final List<Runnable> held = new ArrayList<>();
    volatile boolean hold;
    HttpServer server;

    static Future<Sink> start(Vertx vertx) {
      Sink sink = new Sink();
      return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        HttpServerResponse response = req.response();
        Runnable answer = () -> {
          new JsonArray(body.toString()).forEach(e -> sink.arrivals
              .computeIfAbsent(((JsonObject) e).getString("messageId"), id -> new AtomicInteger()).incrementAndGet());
          response.setStatusCode(200).end("{}");
        };
        synchronized (sink) {
          if (sink.hold) {
            sink.held.add(answer);
            return;
          }
        }
        answer.run();
      })).listen(0, "127.0.0.1").map(s -> {
        sink.server = s;
        return sink;
      });
    }

    synchronized int heldCount() {
      return held.size();
    }

    /** Answers every held request and stops holding. */
    void release() {
      List<Runnable> answers;
      synchronized (this) {
        hold = false;
        answers = new ArrayList<>(held);
        held.clear();
      }
      answers.forEach(Runnable::run);
    }

    boolean receivedAll(List<String> ids) {
      return arrivals.keySet().containsAll(ids);
    }

    Set<String> received() {
      return Set.copyOf(arrivals.keySet());
    }

    /** Each of {@code ids} arrived exactly once and nothing else arrived. */
    void assertExactly(List<String> ids) {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      arrivals.forEach((id, n) -> counts.put(id, n.get()));
      Map<String, Integer> expected = new java.util.TreeMap<>();
      ids.forEach(id -> expected.put(id, 1));
      assertEquals(expected, counts, "messageId=arrivals");
    }

    int port() {
      return server.actualPort();
    }
  }

  /** An http destination {@code id} sending one-event batches to {@code sink}, plus {@code extra} YAML keys. */
  static String http(String id, Sink sink, String extra) {
    return """
          - id: %s
            type: http
            config: { endpoint: "http://127.0.0.1:%d/%s" }
            delivery: { batchEvents: 1, lingerMs: 0, retry: { initialBackoff: 50ms, maxBackoff: 200ms } }
        %s""".formatted(id, sink.port(), id, extra.isEmpty() ? "" : "    " + extra + "\n");
  }

  /** Writes the config file with these sources (YAML list items) and destinations. */
  void write(String sources, String log, String... destinations) throws IOException {
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0, token: %s }
        sources:
        %s
        log: %s
        plugins: { dir: "%s" }
        destinations:
        %s""".formatted(ingestPort, ADMIN_TOKEN, sources, log, dir.resolve("plugins"), String.join("", destinations));
    Files.writeString(file, yaml);
  }

  static String embeddedLog(Path dir) {
    return "{ dir: \"" + dir.resolve("data") + "\", fsync: always }";
  }

  static final String SOURCES = "  - { id: backend, writeKey: backend-key }\n";

  Herald start() {
    ConfigSource source = new ConfigSource(file, List.of(), null, new Secrets(Map.<String, String>of()::get), null);
    var loaded = source.get();
    assertEquals(List.of(), loaded.problems());
    herald = await(Herald.start(vertx, loaded, dev.herald.launcher.metrics.HeraldMetrics.newRegistry(), source));
    return herald;
  }

  void stop() {
    if (herald != null) await(herald.stop());
    herald = null;
  }

  /** Sends one track event per messageId with {@code writeKey}; answers the HTTP status. */
  int send(String writeKey, List<String> messageIds) {
    JsonArray batch = new JsonArray();
    for (String id : messageIds) {
      batch.add(new JsonObject().put("type", "track").put("event", "Order Completed").put("userId", "u-" + id)
          .put("messageId", id));
    }
    HttpResponse<Buffer> answer = await(client.post(ingestPort, "127.0.0.1", "/v1/batch")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
        .sendJsonObject(new JsonObject().put("batch", batch)));
    return answer.statusCode();
  }

  /** Posts one raw record to {@code /v1/topics/{topic}} with {@code writeKey}; answers the HTTP status. */
  int sendRecord(String writeKey, String topic) {
    return await(client.post(ingestPort, "127.0.0.1", "/v1/topics/" + topic).basicAuthentication(writeKey, "")
        .sendJsonObject(new JsonObject().put("orderId", 1))).statusCode();
  }

  void send(List<String> messageIds) {
    assertEquals(200, send("backend-key", messageIds));
  }

  /** {@code POST /admin/reload}, not awaited. */
  Future<HttpResponse<Buffer>> reloadAsync() {
    return client.post(herald.adminPort(), "127.0.0.1", "/admin/reload")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send();
  }

  /** {@code POST /admin/reload}, expecting {@code status}; answers the body. */
  JsonObject reload(int status) {
    HttpResponse<Buffer> answer = await(reloadAsync());
    assertEquals(status, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  static List<String> ids(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
  }
}
