package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where is my event, against a running Herald: the trace of a messageId from acceptance to
 * delivery or the dead-letter store, and the live tap's filters, rate bound and dropped count.
 */
@ExtendWith(VertxExtension.class)
class TraceAndTapTest {

  @TempDir Path dir;
  private OperatorHarness herald;
  private OperatorHarness.Target target;
  private HttpClient http;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    herald = new OperatorHarness(vertx, dir);
    target = await(OperatorHarness.Target.start(vertx));
    herald.start("shop", target, "{ type: embedded, dir: \"" + dir.resolve("data") + "\" }");
    http = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() {
    await(http.close());
    herald.stop();
    await(target.server.close());
  }

  private JsonObject destination(JsonObject trace, String id) {
    for (Object d : trace.getJsonArray("destinations")) {
      if (id.equals(((JsonObject) d).getString("destination"))) return (JsonObject) d;
    }
    throw new AssertionError("no destination " + id + " in " + trace);
  }

  private JsonObject traceUntil(String messageId, String state) throws InterruptedException {
    JsonObject[] last = {null};
    Polling.until(Polling.STEP, () -> {
      var answer = herald.admin(HttpMethod.GET, "/admin/trace/" + messageId, null);
      last[0] = answer.statusCode() == 200 ? answer.bodyAsJsonObject() : null;
      return last[0] != null && state.equals(destination(last[0], "shop").getString("state"));
    }, () -> messageId + " never " + state + ": " + last[0]);
    return last[0];
  }

  @Test
  void theTraceFollowsAnEventFromAcceptanceToDeliveryOrTheDeadLetterStore() throws Exception {
    herald.send(List.of("trace-ok"), false);
    herald.send(List.of("trace-bad"), true);

    JsonObject delivered = traceUntil("trace-ok", "delivered");
    JsonObject accepted = delivered.getJsonObject("accepted");
    assertEquals("backend", accepted.getString("source"));
    assertEquals("analytics", accepted.getString("topic"));
    assertEquals("track", accepted.getString("type"));
    assertNotNull(accepted.getLong("offset"), delivered.encode());
    JsonObject shop = destination(delivered, "shop");
    assertEquals(1, shop.getInteger("attempts"));
    assertTrue(shop.getLong("request") >= 1, shop.encode());
    assertEquals(1, target.arrivals("trace-ok"));

    JsonObject dead = destination(traceUntil("trace-bad", "dead_lettered"), "shop");
    assertEquals(400, dead.getInteger("status"));
    assertNotNull(dead.getString("reason"));
    assertTrue(dead.getLong("request") > shop.getLong("request"), "requests are numbered in order: " + dead);

    var unknown = herald.admin(HttpMethod.GET, "/admin/trace/never-sent", null);
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.bodyAsJsonObject().getString("message").contains("trace window"), unknown.bodyAsString());
  }

  @Test
  void aPausedDestinationShowsTheEventPendingUntilItResumes() throws Exception {
    herald.adminJson(HttpMethod.POST, "/admin/destinations/shop/pause", null, 200);
    herald.send(List.of("trace-warm"), false); // something has to be read for the trace to know the event
    herald.adminJson(HttpMethod.POST, "/admin/destinations/shop/resume", null, 200);
    traceUntil("trace-warm", "delivered");
    herald.adminJson(HttpMethod.POST, "/admin/destinations/shop/pause", null, 200);
    herald.send(List.of("trace-wait"), false);
    herald.adminJson(HttpMethod.POST, "/admin/destinations/shop/resume", null, 200);
    JsonObject done = traceUntil("trace-wait", "delivered");
    assertEquals("backend", done.getJsonObject("accepted").getString("source"));
  }

  /** Reads a tap's stream into {@code events} (each a {@code [event name, data]} pair). */
  private void openTap(String query, ConcurrentLinkedQueue<String[]> events, List<String> comments) throws InterruptedException {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(herald.herald.adminPort()).setURI("/admin/tap" + query)
        .putHeader("Authorization", "Bearer " + OperatorHarness.ADMIN_TOKEN);
    HttpClientResponse response = await(http.request(options).compose(r -> r.send()));
    assertEquals(200, response.statusCode());
    StringBuilder pending = new StringBuilder();
    response.handler(chunk -> {
      synchronized (pending) {
        pending.append(chunk.toString(StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String block = pending.substring(0, end);
          pending.delete(0, end + 2);
          if (block.startsWith(":")) {
            comments.add(block);
            continue;
          }
          String name = null;
          String data = null;
          for (String line : block.split("\n")) {
            if (line.startsWith("event: ")) name = line.substring(7);
            if (line.startsWith("data: ")) data = line.substring(6);
          }
          events.add(new String[] {name, data});
        }
      }
    });
    Polling.until(Polling.STEP, () -> !comments.isEmpty(), () -> "the tap never said hello");
  }

  private void post(JsonArray batch) {
    var answer = await(herald.client.post(herald.herald.ingestPort(), "127.0.0.1", "/v1/batch")
        .putHeader("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((OperatorHarness.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
        .sendJsonObject(new JsonObject().put("batch", batch)));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
  }

  private static JsonObject track(String id, String name) {
    return new JsonObject().put("type", "track").put("event", name).put("userId", "u-" + id).put("messageId", id);
  }

  @Test
  void theTapShowsMatchingEventsAtItsRateAndSaysHowManyItDropped() throws Exception {
    ConcurrentLinkedQueue<String[]> events = new ConcurrentLinkedQueue<>();
    List<String> comments = new java.util.concurrent.CopyOnWriteArrayList<>();
    openTap("?event=Order*&source=backend&destination=shop&rate=2", events, comments);
    post(new JsonArray().add(track("tap-signup", "Signed Up")).add(track("tap-1", "Order Placed"))
        .add(track("tap-2", "Order Paid")).add(track("tap-3", "Order Shipped")).add(track("tap-4", "Order Done")));

    Polling.until(Polling.STEP, () -> events.stream().anyMatch(e -> "dropped".equals(e[0])),
        () -> "no dropped event: " + events.stream().map(e -> e[0] + " " + e[1]).toList());
    List<String> shown = new ArrayList<>();
    JsonObject dropped = null;
    for (String[] e : events) {
      if ("accepted".equals(e[0])) {
        JsonObject data = new JsonObject(e[1]);
        assertEquals("shop", data.getString("destination"));
        assertEquals("backend", data.getString("source"));
        shown.add(data.getString("messageId"));
      } else if ("dropped".equals(e[0]) && dropped == null) {
        dropped = new JsonObject(e[1]);
      }
    }
    // One publication: all offered within one second, the first two shown; the unmatched Signed Up is not counted.
    assertEquals(List.of("tap-1", "tap-2"), shown);
    assertEquals(2, dropped.getInteger("dropped"), dropped.encode());
    // The log lost nothing: the destination got all five.
    Polling.until(Polling.STEP, () -> target.total() >= 5, () -> "delivered " + target.total());
  }

  @Test
  void aTapWithAnUnknownDestinationOrABadSampleIsRefused() {
    assertEquals(404, herald.admin(HttpMethod.GET, "/admin/tap?destination=nope", null).statusCode());
    var bad = herald.admin(HttpMethod.GET, "/admin/tap?sample=2", null);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("sample"), bad.bodyAsString());
  }

  /** Runs the CLI; answers its exit status and what it printed (stdout, then stderr). */
  private static Object[] cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status = new Cli(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
        new dev.herald.launcher.config.Secrets(java.util.Map.of("HERALD_ADMIN_TOKEN", OperatorHarness.ADMIN_TOKEN)::get),
        Path.of("unused")).run(args);
    return new Object[] {status, out.toString(), err.toString()};
  }

  @Test
  void theCommandLineTracesAnEventAndTapsLiveEvents() throws Exception {
    herald.send(List.of("cli-ok"), false);
    traceUntil("cli-ok", "delivered");
    String admin = "http://127.0.0.1:" + herald.herald.adminPort();

    Object[] traced = cli("trace", "cli-ok", "--admin", admin);
    assertEquals(0, traced[0], traced[2].toString());
    String text = traced[1].toString();
    assertTrue(text.contains("from source backend, topic analytics (track)") && text.contains("shop")
        && text.contains("delivered") && text.contains("in request #"), text);
    Object[] missing = cli("trace", "cli-never", "--admin", admin);
    assertEquals(1, missing[0]);
    assertTrue(missing[2].toString().contains("404"), missing[2].toString());

    java.util.concurrent.CompletableFuture<Object[]> tapped = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> cli("tap", "--event", "Order*", "--limit", "1", "--admin", admin));
    int[] sent = {0};
    // The tap connects in its own time: send until it has printed one event.
    Polling.until(Polling.STEP, () -> {
      herald.send(List.of("cli-tap-" + sent[0]++), false);
      return tapped.isDone();
    }, () -> "the tap printed nothing after " + sent[0] + " events");
    Object[] result = tapped.get();
    assertEquals(0, result[0], result[2].toString());
    JsonObject line = new JsonObject(result[1].toString().strip());
    assertTrue(line.getString("messageId").startsWith("cli-tap-"), line.encode());
    assertEquals("Order Completed", line.getJsonObject("payload").getString("event"));
  }
}
