package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Herald in-process for the operator-action tests (pause, resume, dead letters): one http
 * destination pointing at a real server on 127.0.0.1 that refuses (400) events flagged
 * {@code properties.bad} while {@link Target#rejectBad} is set, and counts each messageId it accepts.
 */
final class OperatorHarness {

  static final String WRITE_KEY = "ops-write-key";
  static final String ADMIN_TOKEN = "ops-admin-token";

  private final Vertx vertx;
  private final Path dir;
  final WebClient client;
  private final int ingestPort = Ports.free();
  Herald herald;

  OperatorHarness(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
    this.client = WebClient.create(vertx);
  }

  /** The destination's server. */
  static final class Target {
    final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    final AtomicBoolean rejectBad = new AtomicBoolean(true);
    final AtomicInteger requests = new AtomicInteger();
    HttpServer server;

    static Future<Target> start(Vertx vertx) {
      Target t = new Target();
      return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        t.requests.incrementAndGet();
        JsonArray events = new JsonArray(body.toString());
        boolean refuse = t.rejectBad.get() && events.stream()
            .anyMatch(e -> ((JsonObject) e).getJsonObject("properties", new JsonObject()).getBoolean("bad", false));
        if (!refuse) {
          events.forEach(e -> t.arrivals.computeIfAbsent(((JsonObject) e).getString("messageId"), id -> new AtomicInteger())
              .incrementAndGet());
        }
        req.response().setStatusCode(refuse ? 400 : 200).end(refuse ? "{\"error\":\"bad event\"}" : "{}");
      })).listen(0, "127.0.0.1").map(s -> {
        t.server = s;
        return t;
      });
    }

    int arrivals(String messageId) {
      AtomicInteger n = arrivals.get(messageId);
      return n == null ? 0 : n.get();
    }

    int total() {
      return arrivals.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  /** Starts Herald with one http destination {@code id} sending single-event batches to {@code target}. */
  Herald start(String id, Target target, String logYaml) throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: 0, token: "${{ secrets.ADMIN_TOKEN }}" }
        sources: [{ id: backend, writeKey: "${{ secrets.WRITE_KEY }}" }]
        log: %s
        plugins: { dir: "%s" }
        destinations:
          - id: %s
            type: http
            config: { endpoint: "http://127.0.0.1:%d/events" }
            delivery: { batchEvents: 1, lingerMs: 0, retry: { initialBackoff: 50ms, maxBackoff: 200ms } }
        """.formatted(ingestPort, logYaml, dir.resolve("plugins"), id, target.server.actualPort());
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "WRITE_KEY", WRITE_KEY)::get))
        .load(file);
    assertEquals(List.of(), loaded.problems());
    herald = await(Herald.start(vertx, loaded));
    return herald;
  }

  void stop() {
    if (herald != null) await(herald.stop());
    herald = null;
  }

  /** Sends one track event per messageId through ingest; {@code bad} ones carry {@code properties.bad}. */
  void send(List<String> messageIds, boolean bad) {
    JsonArray batch = new JsonArray();
    for (String id : messageIds) {
      batch.add(new JsonObject().put("type", "track").put("event", "Order Completed").put("userId", "user-" + id)
          .put("messageId", id).put("properties", new JsonObject().put("bad", bad)));
    }
    HttpResponse<Buffer> answer = await(client.post(ingestPort, "127.0.0.1", "/v1/batch")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
        .sendJsonObject(new JsonObject().put("batch", batch)));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
  }

  HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    var request = client.request(method, herald.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  JsonObject adminJson(HttpMethod method, String path, JsonObject body, int expectedStatus) {
    HttpResponse<Buffer> answer = admin(method, path, body);
    assertEquals(expectedStatus, answer.statusCode(), method + " " + path + ": " + answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  JsonObject status(String id) {
    JsonArray all = adminJson(HttpMethod.GET, "/admin/destinations", null, 200).getJsonArray("destinations");
    for (int i = 0; i < all.size(); i++) {
      if (id.equals(all.getJsonObject(i).getString("id"))) return all.getJsonObject(i);
    }
    throw new AssertionError("no destination " + id + " in " + all);
  }

  JsonArray deadLetters(String id, String query) {
    return adminJson(HttpMethod.GET, "/admin/destinations/" + id + "/dead-letters" + query, null, 200)
        .getJsonArray("deadLetters");
  }

  /** Waits for a replay to finish; answers its last progress. */
  JsonObject awaitReplay(String replayId) throws InterruptedException {
    JsonObject[] last = {null};
    Polling.until(Polling.STEP, () -> {
      last[0] = adminJson(HttpMethod.GET, "/admin/replays/" + replayId, null, 200);
      return !"running".equals(last[0].getString("state"));
    }, () -> "replay still running: " + last[0]);
    return last[0];
  }
}
