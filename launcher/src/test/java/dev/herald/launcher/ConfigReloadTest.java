package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static dev.herald.launcher.ReloadHarness.SOURCES;
import static dev.herald.launcher.ReloadHarness.embeddedLog;
import static dev.herald.launcher.ReloadHarness.http;
import static dev.herald.launcher.ReloadHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.router.DestinationRunner;
import dev.herald.launcher.ReloadHarness.Sink;
import dev.herald.launcher.reload.HangUp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload against a running Herald on the embedded log, with real destination servers: what
 * a reload adds, removes, restarts and leaves alone, and what it refuses.
 */
@ExtendWith(VertxExtension.class)
class ConfigReloadTest {

  @TempDir Path dir;
  private ReloadHarness harness;
  private final List<Sink> sinks = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    PluginJars.copyInto(dir.resolve("plugins"));
    harness = new ReloadHarness(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    sinks.forEach(Sink::release);
    harness.stop();
    sinks.forEach(s -> await(s.server.close()));
  }

  private Sink sink() {
    Sink sink = await(Sink.start(vertx));
    sinks.add(sink);
    return sink;
  }

  private String log() {
    return embeddedLog(dir);
  }

  private DestinationRunner runner(String id) {
    return harness.herald.router().runner(id).orElseThrow(() -> new AssertionError("no runner " + id));
  }

  @Test
  void anAddedDestinationGetsOnlyEventsAfterTheReloadUnlessItStartsFromTheEarliest() throws Exception {
    Sink hook = sink();
    Sink late = sink();
    Sink backlog = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""));
    harness.start();
    List<String> before = ids("before", 5);
    harness.send(before);
    Polling.until(Polling.STEP, () -> hook.receivedAll(before), () -> "hook got " + hook.received());

    harness.write(SOURCES, log(), http("hook", hook, ""), http("late", late, ""),
        http("backlog", backlog, "startFrom: earliest"));
    JsonObject answer = harness.reload(200);
    assertEquals(new JsonObject().put("reloaded", true).put("added", new JsonArray().add("late").add("backlog"))
        .put("removed", new JsonArray()).put("changed", new JsonArray()).put("unchanged", new JsonArray().add("hook"))
        .put("sources", new JsonObject().put("added", new JsonArray()).put("removed", new JsonArray())
            .put("changed", new JsonArray()))
        .put("plugins", new JsonObject().put("loaded", new JsonArray()).put("unloaded", new JsonArray())), answer);

    List<String> after = ids("after", 5);
    harness.send(after);
    List<String> all = Stream.concat(before.stream(), after.stream()).toList();
    Polling.until(Polling.STEP, () -> late.receivedAll(after), () -> "late got " + late.received());
    Polling.until(Polling.STEP, () -> backlog.receivedAll(all), () -> "backlog got " + backlog.received());
    Polling.until(Polling.STEP, () -> hook.receivedAll(all), () -> "hook got " + hook.received());
    late.assertExactly(after);
    backlog.assertExactly(all);
    hook.assertExactly(all);
  }

  @Test
  void aRemovedDestinationStopsAndItsCursorNoLongerHoldsBackRetention() throws Exception {
    Sink hook = sink();
    Sink extra = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""), http("extra", extra, ""));
    harness.start();
    List<String> first = ids("first", 3);
    harness.send(first);
    Polling.until(Polling.STEP, () -> hook.receivedAll(first) && extra.receivedAll(first), () -> "not delivered");
    EmbeddedEventLog log = (EmbeddedEventLog) harness.herald.log();
    Polling.until(Polling.STEP, () -> log.committedOffsets().getOrDefault("extra", 0L) == 3,
        () -> "extra's cursor " + log.committedOffsets());
    Path cursor = dir.resolve("data").resolve("cursors").resolve("extra.cursor");
    assertTrue(Files.exists(cursor), "the cursor file is where the test looks: " + cursor);

    assertEquals(200, await(harness.client.post(harness.herald.adminPort(), "127.0.0.1", "/admin/destinations/extra/pause")
        .putHeader("Authorization", "Bearer " + ReloadHarness.ADMIN_TOKEN).send()).statusCode());
    assertTrue(harness.herald.router().paused("extra"));

    harness.write(SOURCES, log(), http("hook", hook, ""));
    JsonObject answer = harness.reload(200);
    assertEquals(new JsonArray().add("extra"), answer.getJsonArray("removed"));
    assertFalse(harness.herald.router().paused("extra"), "its pause went with its cursor");
    assertEquals(new JsonArray().add("hook"), answer.getJsonArray("unchanged"));
    assertTrue(harness.herald.router().runner("extra").isEmpty(), "extra no longer runs");
    assertFalse(Files.exists(cursor), "its cursor file is deleted");
    assertEquals(List.of("hook"), List.copyOf(log.committedOffsets().keySet()),
        "only hook's position is left for retention to wait for");

    List<String> second = ids("second", 3);
    harness.send(second);
    Polling.until(Polling.STEP, () -> hook.receivedAll(second), () -> "hook got " + hook.received());
    extra.assertExactly(first);
  }

  @Test
  void aChangedDestinationRestartsOnItsCursorWhileAnUnchangedOneKeepsDelivering() throws Exception {
    Sink hook = sink();
    Sink steady = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""), http("steady", steady, ""));
    harness.start();
    List<String> sent = new ArrayList<>(ids("early", 3));
    harness.send(sent);
    Polling.until(Polling.STEP, () -> hook.receivedAll(sent) && steady.receivedAll(sent), () -> "not delivered");
    DestinationRunner steadyRunner = runner("steady");
    DestinationRunner hookRunner = runner("hook");

    // hook has a send in flight: stopping it for the restart waits for that send to settle
    hook.hold = true;
    harness.send(List.of("held"));
    sent.add("held");
    Polling.until(Polling.STEP, () -> hook.heldCount() == 1, () -> "hook's send never arrived");

    harness.write(SOURCES, log(), http("hook", hook, "events: { exclude: [Ping] }"), http("steady", steady, ""));
    Future<HttpResponse<Buffer>> reload = harness.reloadAsync();
    // The reload took hook out of the router and waits for its send in flight to settle
    Polling.until(Polling.STEP, () -> harness.herald.router().runner("hook").isEmpty(),
        () -> "the reload did not start stopping hook: " + harness.herald.router().statuses());
    HttpResponse<Buffer> second = await(harness.reloadAsync());
    assertEquals(409, second.statusCode(), "one reload at a time: " + second.bodyAsString());
    List<String> during = ids("during", 5);
    harness.send(during);
    sent.addAll(during);
    Polling.until(Polling.STEP, () -> steady.receivedAll(during), () -> "steady got " + steady.received());
    assertFalse(reload.isComplete(), "steady delivered while the reload was still restarting hook");

    hook.release();
    HttpResponse<Buffer> answer = await(reload);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(new JsonArray().add("hook"), answer.bodyAsJsonObject().getJsonArray("changed"));
    assertEquals(new JsonArray().add("steady"), answer.bodyAsJsonObject().getJsonArray("unchanged"));
    assertSame(steadyRunner, runner("steady"), "the unchanged destination's runner was not touched");
    assertNotSame(hookRunner, runner("hook"), "the changed destination runs anew");

    List<String> late = ids("late", 3);
    harness.send(late);
    sent.addAll(late);
    Polling.until(Polling.STEP, () -> hook.receivedAll(sent) && steady.receivedAll(sent),
        () -> "hook got " + hook.received() + ", steady got " + steady.received());
    hook.assertExactly(sent);
    steady.assertExactly(sent);
  }

  @Test
  void aBadFileIsRefusedWithEveryProblemListedAndChangesNothing() throws Exception {
    Sink hook = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""));
    harness.start();
    DestinationRunner before = runner("hook");

    harness.write(SOURCES + "  - { id: web, writeKey: backend-key }\n", log(),
        http("hook", hook, "delivery: { batchEvents: 0 }").replace("    delivery: { batchEvents: 1, lingerMs: 0, retry: { initialBackoff: 50ms, maxBackoff: 200ms } }\n", ""),
        "  - { id: other, type: no-such-type }\n");
    JsonObject answer = harness.reload(400);
    assertEquals("invalid_config", answer.getString("code"));
    List<String> paths = answer.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getString("path")).toList();
    assertTrue(paths.contains("sources[1].writeKey"), "duplicate key: " + answer.encodePrettily());
    assertTrue(paths.contains("destinations[0].delivery.batchEvents"), "bad batch size: " + answer.encodePrettily());
    assertTrue(paths.contains("destinations[1].type"), "unknown type: " + answer.encodePrettily());
    assertFalse(answer.encode().contains("backend-key"), "no secret in the answer");

    harness.write(SOURCES, log().replace("fsync: always", "fsync: interval"), http("hook", hook, ""), 
        "  - { id: other, type: file, config: { path: \"" + dir.resolve("other.ndjson") + "\" } }\n");
    JsonObject restart = harness.reload(400);
    assertEquals("restart_required", restart.getString("code"));
    assertEquals(new JsonArray().add("log"), restart.getJsonArray("restartRequired"));

    assertSame(before, runner("hook"), "nothing was restarted");
    assertEquals(List.of("hook"), harness.herald.router().statuses().stream().map(s -> s.id()).toList());
    List<String> still = ids("still", 3);
    harness.send(still);
    Polling.until(Polling.STEP, () -> hook.receivedAll(still), () -> "hook got " + hook.received());
  }

  @Test
  void writeKeysReloadANewKeyIsAcceptedAndARemovedOneRefused() throws Exception {
    Sink hook = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""));
    harness.start();
    assertEquals(401, harness.send("mobile-key", List.of("m-0")));

    assertEquals(403, harness.sendRecord("backend-key", "orders"), "no raw topic allowed yet");
    harness.write("  - { id: mobile, writeKey: mobile-key, rateLimit: 1000/s, rawTopics: [orders] }\n", log(),
        http("hook", hook, ""));
    JsonObject answer = harness.reload(200);
    assertEquals(new JsonObject().put("added", new JsonArray().add("mobile")).put("removed", new JsonArray().add("backend"))
        .put("changed", new JsonArray()), answer.getJsonObject("sources"));
    assertEquals(200, harness.send("mobile-key", List.of("m-1")));
    assertEquals(401, harness.send("backend-key", List.of("b-1")), "the removed source's key is refused");
    assertEquals(200, harness.sendRecord("mobile-key", "orders"), "the reloaded rawTopics apply");
    assertEquals(403, harness.sendRecord("mobile-key", "payments"));
    Polling.until(Polling.STEP, () -> hook.receivedAll(List.of("m-1")), () -> "hook got " + hook.received());
  }

  @Test
  void sighupRunsTheSameReloadAndAReloadWhileStoppingIsRefused() throws Exception {
    Sink hook = sink();
    Sink late = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""));
    harness.start();
    harness.write(SOURCES, log(), http("hook", hook, ""), http("late", late, ""));
    var answer = await(HangUp.run(harness.herald::reload));
    assertEquals(200, answer.status(), answer.body().encode());
    assertEquals(new JsonArray().add("late"), answer.body().getJsonArray("added"));
    assertTrue(harness.herald.router().runner("late").isPresent());

    Herald herald = harness.herald;
    Future<Void> stopping = herald.stop();
    assertEquals(503, await(herald.reload()).status());
    await(stopping);
    harness.herald = null;
  }

  @Test
  void aPluginDroppedIntoThePluginsFolderIsUsableAfterAReloadAndUnloadedOnlyOnceUnusedAndGone() throws Exception {
    Path jar = dir.resolve("plugins").resolve("destination-file.jar");
    Path kept = Files.move(jar, dir.resolve("destination-file.jar"));
    Sink hook = sink();
    harness.write(SOURCES, log(), http("hook", hook, ""));
    harness.start();
    Path out = dir.resolve("archive.ndjson");
    String archive = "  - { id: archive, type: file, startFrom: earliest, config: { path: \"" + out + "\" } }\n";

    harness.write(SOURCES, log(), http("hook", hook, ""), archive);
    JsonObject refused = harness.reload(400);
    assertTrue(refused.encode().contains("unknown destination type 'file'"), refused.encodePrettily());

    Files.copy(kept, jar);
    JsonObject loaded = harness.reload(200);
    assertEquals(new JsonArray().add("archive"), loaded.getJsonArray("added"));
    assertEquals(new JsonArray().add("file"), loaded.getJsonObject("plugins").getJsonArray("loaded"));
    assertTrue(pluginIds().contains("file"), "GET /admin/plugins lists it");
    List<String> events = ids("archived", 3);
    harness.send(events);
    Polling.until(Polling.STEP, () -> Files.exists(out) && events.stream().allMatch(id -> read(out).contains(id)),
        () -> "archive holds " + (Files.exists(out) ? read(out) : "nothing"));

    Files.delete(jar);
    JsonObject inUse = harness.reload(200);
    assertEquals(new JsonArray(), inUse.getJsonObject("plugins").getJsonArray("unloaded"), "a plugin in use stays loaded");
    assertEquals(new JsonArray().add("hook").add("archive"), inUse.getJsonArray("unchanged"));

    harness.write(SOURCES, log(), http("hook", hook, ""));
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    int status = new Cli(new java.io.PrintStream(printed, true), System.err,
        new dev.herald.launcher.config.Secrets(java.util.Map.of("HERALD_ADMIN_TOKEN", ReloadHarness.ADMIN_TOKEN)::get),
        dir.resolve("cli-data")).run(new String[] {"reload", "--admin", "http://127.0.0.1:" + harness.herald.adminPort()});
    assertEquals(0, status, printed.toString());
    JsonObject unloaded = new JsonObject(printed.toString());
    assertEquals(new JsonArray().add("archive"), unloaded.getJsonArray("removed"));
    assertEquals(new JsonArray().add("file"), unloaded.getJsonObject("plugins").getJsonArray("unloaded"));
    assertTrue(harness.herald.router().runner("archive").isEmpty());
    assertFalse(pluginIds().contains("file"), "GET /admin/plugins no longer lists it");
  }

  private List<String> pluginIds() {
    HttpResponse<Buffer> answer = await(harness.client.get(harness.herald.adminPort(), "127.0.0.1", "/admin/plugins")
        .putHeader("Authorization", "Bearer " + ReloadHarness.ADMIN_TOKEN).send());
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("plugins").stream().map(p -> ((JsonObject) p).getString("id")).toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
