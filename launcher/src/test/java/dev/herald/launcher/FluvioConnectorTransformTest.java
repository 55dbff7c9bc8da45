package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md's Fluvio connector file, only its endpoint pointed at a local server, run by an
 * in-process Herald with the real http plugin: records posted to the raw topic arrive one
 * request each, shaped by the Jolt chain; one the chain cannot shape is dead-lettered.
 */
@ExtendWith(VertxExtension.class)
class FluvioConnectorTransformTest {

  static final String TOKEN = "amp-t0ken-9f3";
  private static final String WRITE_KEY = "backend-write-key";

  /** The seed's file, byte for byte but for the endpoint. */
  static String seedConnector(int port) {
    return """
        apiVersion: 0.1.0
        meta:
          version: 0.2.5
          name: amplitude-connector
          type: http-sink
          topic: service-events
          secrets:
            - name: AMPLITUDE_API_TOKEN
        http:
          endpoint: "http://127.0.0.1:%d/2/httpapi"
        transforms:
          - uses: infinyon/jolt@0.3.0
            with:
              spec:
                - operation: remove
                  spec:
                    timestamp: ""
                - operation: shift
                  spec:
                    "event": "events[0]"
                - operation: default
                  spec:
                    api_key: "${{ secrets.AMPLITUDE_API_TOKEN }}"
        """.formatted(port);
  }

  record Request(String method, String path, String contentType, String body) {}

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private HttpServer server;
  private Herald herald;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    PluginJars.copyInto(dir.resolve("plugins"));
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.add(new Request(req.method().name(), req.path(), req.getHeader("Content-Type"), body.toString()));
      req.response().setStatusCode(200).end("{\"code\":200}");
    })).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void tearDown() {
    if (herald != null) herald.stop().await();
    server.close().await();
  }

  private void startHerald() throws Exception {
    Files.writeString(dir.resolve("amplitude.yaml"), seedConnector(server.actualPort()));
    String yaml = """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: "%s", rawTopics: [service-events] }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        connectors: [amplitude.yaml]
        """.formatted(WRITE_KEY, dir.resolve("data"), dir.resolve("plugins"));
    Path file = Files.writeString(dir.resolve("herald.yaml"), yaml);
    LoadedConfig loaded = new ConfigLoader(new Secrets(Map.of("AMPLITUDE_API_TOKEN", TOKEN)::get)).load(file);
    assertEquals(List.of(), loaded.problems());
    herald = Herald.start(vertx, loaded).await();
  }

  private int post(String body) {
    return client.post(herald.ingestPort(), "127.0.0.1", "/v1/topics/service-events").basicAuthentication(WRITE_KEY, "")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await().statusCode();
  }

  @Test
  void theSeedConnectorFileDeliversEachRecordAsItsOwnAmplitudeRequest() throws Exception {
    startHerald();
    assertEquals(200, post("""
        [{"event":{"event_type":"signup","user_id":"user-42"},"timestamp":"2026-11-29T10:00:00Z"},
         {"event":{"event_type":"login","user_id":"user-7"},"timestamp":"2026-11-29T10:00:01Z"}]"""));

    Polling.until(Duration.ofSeconds(30), () -> requests.size() >= 2, () -> requests.size() + " of 2 requests");
    // Two records have two partition keys: they may travel in parallel, so compare without order.
    assertEquals(java.util.Set.of(
            "{\"events\":[{\"event_type\":\"signup\",\"user_id\":\"user-42\"}],\"api_key\":\"" + TOKEN + "\"}",
            "{\"events\":[{\"event_type\":\"login\",\"user_id\":\"user-7\"}],\"api_key\":\"" + TOKEN + "\"}"),
        java.util.Set.of(requests.get(0).body(), requests.get(1).body()), "the exact bytes the endpoint receives");
    for (Request r : requests) {
      assertEquals(List.of("POST", "/2/httpapi", "application/json"), List.of(r.method(), r.path(), r.contentType()));
    }
    Polling.until(Duration.ofSeconds(10), () -> herald.router().statuses().get(0).lag() == 0,
        () -> "lag: " + herald.router().statuses());
    assertEquals(2, requests.size(), "one request per record, none repeated");
  }

  @Test
  void aRecordTheChainCannotShapeIsDeadLetteredWithItsStepAndTheConnectorKeepsFlowing() throws Exception {
    startHerald();
    assertEquals(200, post("{\"messageId\":\"no-event-1\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"other\":1}"));
    assertEquals(200, post("{\"messageId\":\"good-2\",\"event\":{\"event_type\":\"signup\",\"user_id\":\"u2\"}}"));

    Polling.until(Duration.ofSeconds(30), () -> requests.size() >= 1, () -> "the good record never arrived");
    assertEquals("{\"events\":[{\"event_type\":\"signup\",\"user_id\":\"u2\"}],\"api_key\":\"" + TOKEN + "\"}",
        requests.get(0).body());

    JsonArray[] letters = {new JsonArray()};
    Polling.until(Duration.ofSeconds(30), () -> {
      letters[0] = herald.router().deadLetters("amplitude-connector").orElseThrow()
          .list(new dev.herald.bus.deadletter.DeadLetterQuery(10, 0, null, null, null, null))
          .map(list -> {
            JsonArray a = new JsonArray();
            list.forEach(l -> a.add(l.toJson()));
            return a;
          }).await();
      return !letters[0].isEmpty();
    }, () -> "no dead letter");
    assertEquals(1, letters[0].size(), letters[0].encodePrettily());
    JsonObject letter = letters[0].getJsonObject(0);
    assertEquals("no-event-1", letter.getString("messageId"));
    String reason = letter.getString("reason");
    assertTrue(reason.contains("transform_failed: step 2 (shift): yielded nothing"), reason);
    assertFalse(reason.contains(TOKEN), reason);
    assertEquals(1, requests.size(), "the failed record was not sent");
  }
}
