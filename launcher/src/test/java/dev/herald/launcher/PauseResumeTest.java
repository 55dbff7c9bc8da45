package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause and resume through the admin API of a running Herald: a paused destination takes no event
 * from the log while ingest goes on, its lag grows, the pause survives a restart, and resuming
 * delivers every event once.
 */
@ExtendWith(VertxExtension.class)
class PauseResumeTest {

  @TempDir Path dir;
  private OperatorHarness herald;
  private OperatorHarness.Target target;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    herald = new OperatorHarness(vertx, dir);
    target = await(OperatorHarness.Target.start(vertx));
  }

  @AfterEach
  void tearDown() {
    herald.stop();
    await(target.server.close());
  }

  private static List<String> ids(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
  }

  private String embeddedLog() {
    return "{ dir: \"" + dir.resolve("data") + "\", fsync: always }";
  }

  @Test
  void aPausedDestinationSendsNothingKeepsItsPauseAcrossARestartAndDeliversEverythingOnceResumed() throws Exception {
    herald.start("hook", target, embeddedLog());
    herald.send(ids("warmup", 1), false);
    Polling.until(Polling.STEP, () -> target.arrivals("warmup-0") == 1, () -> "the first event never arrived");

    JsonObject paused = herald.adminJson(HttpMethod.POST, "/admin/destinations/hook/pause", null, 200);
    assertEquals(new JsonObject().put("destination", "hook").put("paused", true).put("state", "PAUSED"), paused);
    assertEquals(paused, herald.adminJson(HttpMethod.POST, "/admin/destinations/hook/pause", null, 200),
        "pausing a paused destination answers the same");

    List<String> during = ids("during", 20);
    herald.send(during, false);
    Polling.until(Polling.STEP, () -> herald.status("hook").getLong("lag") == 20, () -> "lag " + herald.status("hook"));
    assertEquals(1, target.total(), "a paused destination sent nothing");
    JsonObject status = herald.status("hook");
    assertEquals("PAUSED", status.getString("state"));
    assertTrue(status.getBoolean("paused"));

    herald.stop();
    herald.start("hook", target, embeddedLog());
    status = herald.status("hook");
    assertEquals("PAUSED", status.getString("state"), "still paused after a restart: " + status);
    assertTrue(status.getBoolean("paused"));
    List<String> after = ids("after", 5);
    herald.send(after, false);
    Polling.until(Polling.STEP, () -> herald.status("hook").getLong("lag") == 25, () -> "lag " + herald.status("hook"));
    assertEquals(1, target.total(), "paused from its start: nothing sent");

    JsonObject resumed = herald.adminJson(HttpMethod.POST, "/admin/destinations/hook/resume", null, 200);
    assertEquals(false, resumed.getBoolean("paused"));
    List<String> all = new ArrayList<>(during);
    all.addAll(after);
    Polling.until(Polling.STEP, () -> all.stream().allMatch(id -> target.arrivals(id) >= 1),
        () -> target.total() + " arrivals");
    Polling.until(Polling.STEP, () -> herald.status("hook").getLong("lag") == 0, () -> "lag " + herald.status("hook"));
    for (String id : all) assertEquals(1, target.arrivals(id), id + " arrived once");
    assertEquals("RUNNING", herald.status("hook").getString("state"));
    assertEquals(200, herald.admin(HttpMethod.POST, "/admin/destinations/hook/resume", null).statusCode(),
        "resuming a running destination is harmless");
  }

  @Test
  void pausingAnUnknownDestinationAnswers404() throws Exception {
    herald.start("hook", target, embeddedLog());
    JsonObject error = herald.adminJson(HttpMethod.POST, "/admin/destinations/nope/pause", null, 404);
    assertEquals("unknown_destination", error.getString("code"));
    assertEquals(404, herald.admin(HttpMethod.POST, "/admin/destinations/nope/resume", null).statusCode());
  }
}
