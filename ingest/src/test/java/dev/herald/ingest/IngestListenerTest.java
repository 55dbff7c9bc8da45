package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What ingest tells its listener: events by source and outcome, requests by route template and status, appends. */
class IngestListenerTest extends IngestTestBase {

  private final Map<String, AtomicInteger> events = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger appendedEvents = new AtomicInteger();

  private final IngestListener listener = new IngestListener() {
    @Override public void events(String sourceId, String outcome, String code, int count) {
      events.computeIfAbsent(sourceId + " " + outcome + (code == null ? "" : " " + code), k -> new AtomicInteger())
          .addAndGet(count);
    }
    @Override public void request(String route, int status, long nanos) {
      assertTrue(nanos >= 0);
      requests.add(route + " " + status);
    }
    @Override public void appended(int count, long nanos, boolean durable) {
      if (durable) appendedEvents.addAndGet(count);
    }
  };

  private WebClient listened() throws Exception {
    IngestVerticle withListener = new IngestVerticle(options(), log, state, listener);
    await(vertx.deployVerticle(withListener));
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(withListener.actualPort()));
  }

  private int post(WebClient c, String path, Object body, String key) throws Exception {
    var request = c.post(path).putHeader("Content-Type", "application/json");
    if (key != null) request.putHeader("Authorization", basic(key));
    return await(request.sendBuffer(Buffer.buffer(body.toString()))).statusCode();
  }

  private void awaitRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (requests.size() < n && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(n, requests.size(), requests.toString());
  }

  @Test
  void eventsAreCountedBySourceAndOutcomeAndRequestsByRouteTemplate() throws Exception {
    WebClient c = listened();
    JsonObject batch = new JsonObject().put("batch", new JsonArray()
        .add(track("u", "A").put("type", "track").put("messageId", "m-1"))
        .add(track("u", "B").put("type", "track").put("messageId", "m-2"))
        .add(new JsonObject().put("type", "track").put("event", "no user")));
    assertEquals(200, post(c, "/v1/batch/", batch, WEB_KEY));
    assertEquals(400, post(c, "/v1/track", new JsonObject().put("event", "no user"), BACKEND_KEY));
    assertEquals(200, post(c, "/v1/topics/orders-" + System.nanoTime(), new JsonObject().put("id", 1), WEB_KEY));
    assertEquals(401, post(c, "/v1/track", track("u", "A"), "not-a-key"));
    assertEquals(404, post(c, "/v1/nowhere/" + System.nanoTime(), new JsonObject(), WEB_KEY));
    awaitRequests(5);

    assertEquals(Map.of("web accepted", 3, "web rejected invalid_event", 1, "backend rejected invalid_event", 1),
        Map.copyOf(events.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
            e -> e.getValue().get()))));
    assertEquals(List.of("/v1/batch 200", "/v1/track 400", "/v1/topics/{topic} 200", "/v1/track 401", "other 404"),
        List.copyOf(requests), "labels are route templates, never raw paths");
    assertEquals(3, appendedEvents.get());
  }

  @Test
  void duplicatesAreCountedAsDuplicatesNotAccepted() throws Exception {
    WebClient c = listened();
    assertEquals(200, post(c, "/v1/track", track("u", "A").put("messageId", "d-1"), WEB_KEY));
    assertEquals(200, post(c, "/v1/track", track("u", "A").put("messageId", "d-1"), WEB_KEY));
    awaitRequests(2);
    assertEquals(1, events.get("web accepted").get());
    assertEquals(1, events.get("web duplicate").get());
  }
}
