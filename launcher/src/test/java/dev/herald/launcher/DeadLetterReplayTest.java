package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters an operator can act on, against a running Herald on the embedded log: a destination
 * refuses (400) some events; they are listed with filters and paging; once it is fixed a replay
 * sends them again with their messageIds at the bounded rate; a second replay sends nothing,
 * {@code force} sends again, a dry run only counts, and deletes take the same filters.
 */
@ExtendWith(VertxExtension.class)
class DeadLetterReplayTest {

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

  private static List<String> messageIds(JsonArray letters) {
    return letters.stream().map(l -> ((JsonObject) l).getString("messageId")).toList();
  }

  private JsonObject replay(JsonObject body, int expectedStatus) {
    return herald.adminJson(HttpMethod.POST, "/admin/destinations/strict/dead-letters/replay", body, expectedStatus);
  }

  /** Six events refused, four delivered; waits until all ten are settled. */
  private List<String> sendSomeRefused() throws InterruptedException {
    List<String> good = ids("good", 4);
    List<String> bad = ids("bad", 6);
    herald.send(good, false);
    herald.send(bad, true);
    Polling.until(Polling.STEP, () -> herald.deadLetters("strict", "").size() == 6
        && good.stream().allMatch(id -> target.arrivals(id) == 1), () -> "dead letters " + herald.deadLetters("strict", ""));
    return bad;
  }

  @Test
  void refusedEventsAreListedWithFiltersAndPagingAndAReplaySendsThemOnceWithTheirMessageIds() throws Exception {
    herald.start("strict", target, "{ dir: \"" + dir.resolve("data") + "\", fsync: always }");
    List<String> bad = sendSomeRefused();
    List<String> order = messageIds(herald.deadLetters("strict", "")); // write order: lanes by user go in parallel
    assertEquals(Set.copyOf(bad), Set.copyOf(order));

    assertEquals(order, messageIds(herald.deadLetters("strict", "?status=400")));
    assertEquals(List.of(), messageIds(herald.deadLetters("strict", "?status=503")));
    assertEquals(List.of("bad-3"), messageIds(herald.deadLetters("strict", "?messageId=bad-3")));
    assertEquals(order.subList(1, 3), messageIds(herald.deadLetters("strict", "?limit=2&offset=1")));
    assertEquals(order, messageIds(herald.deadLetters("strict", "?reason=http%20400&state=new")));
    assertEquals(List.of(), messageIds(herald.deadLetters("strict", "?since=" + Instant.now().plusSeconds(3600))));
    JsonObject page = herald.adminJson(HttpMethod.GET, "/admin/destinations/strict/dead-letters?limit=2&offset=1", null, 200);
    assertEquals("strict", page.getString("destination"));
    assertEquals(2, page.getInteger("limit"));
    assertEquals(1, page.getInteger("offset"));
    assertEquals("invalid_parameter", herald.adminJson(HttpMethod.GET,
        "/admin/destinations/strict/dead-letters?state=gone", null, 400).getString("code"));

    JsonObject dry = replay(new JsonObject().put("dryRun", true), 200);
    assertEquals("done", dry.getString("state"));
    assertEquals(6, dry.getLong("selected"));
    assertEquals(6, dry.getLong("toReplay"));
    assertEquals(0, dry.getLong("replayed"));
    int requestsBefore = target.requests.get();

    target.rejectBad.set(false); // the destination is fixed
    long started = System.nanoTime();
    JsonObject first = replay(new JsonObject().put("ratePerSecond", 2), 202);
    assertEquals(6, first.getLong("toReplay"));
    JsonObject done = herald.awaitReplay(first.getString("replayId"));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals("done", done.getString("state"), done.encode());
    assertEquals(6, done.getLong("delivered"));
    assertEquals(0, done.getLong("failed"));
    assertTrue(seconds >= 2.0, "6 events at 2/s: the last pair may not go before 2 s, took " + seconds);
    assertTrue(requestsBefore > 0);
    for (String id : bad) assertEquals(1, target.arrivals(id), id + " arrived once, with its own messageId");
    JsonArray replayed = herald.deadLetters("strict", "?state=replayed");
    assertEquals(order, messageIds(replayed), "each entry is marked with its replay's outcome");
    assertEquals("delivered", replayed.getJsonObject(0).getJsonObject("replay").getString("outcome"));
    assertEquals(first.getString("replayId"), replayed.getJsonObject(0).getJsonObject("replay").getString("replayId"));

    JsonObject again = replay(new JsonObject(), 202);
    assertEquals(6, again.getLong("selected"));
    assertEquals(6, again.getLong("skipped"));
    assertEquals(0, again.getLong("toReplay"));
    assertEquals(0, herald.awaitReplay(again.getString("replayId")).getLong("replayed"));
    for (String id : bad) assertEquals(1, target.arrivals(id), id + ": replaying twice sends once");

    JsonObject forced = replay(new JsonObject().put("force", true).put("messageId", "bad-0"), 202);
    assertEquals(1, forced.getLong("toReplay"));
    assertEquals(1, herald.awaitReplay(forced.getString("replayId")).getLong("delivered"));
    assertEquals(2, target.arrivals("bad-0"), "force sends a delivered entry again");
    assertEquals(1, target.arrivals("bad-1"));
  }

  @Test
  void aReplayIntoAStillRefusingDestinationMarksTheEntriesFailedAndALaterReplaySendsThemAgain() throws Exception {
    herald.start("strict", target, "{ dir: \"" + dir.resolve("data") + "\", fsync: always }");
    List<String> bad = sendSomeRefused();
    List<String> order = messageIds(herald.deadLetters("strict", ""));

    JsonObject refused = herald.awaitReplay(replay(new JsonObject().put("ratePerSecond", 100), 202).getString("replayId"));
    assertEquals(6, refused.getLong("failed"), refused.encode());
    JsonArray failed = herald.deadLetters("strict", "?state=failed");
    assertEquals(order, messageIds(failed), "still the same six entries, now marked failed");
    assertEquals(6, herald.deadLetters("strict", "").size(), "a failed replay adds no dead letter");
    assertEquals(400, failed.getJsonObject(0).getJsonObject("replay").getInteger("status"));

    target.rejectBad.set(false);
    JsonObject fixed = herald.awaitReplay(replay(new JsonObject().put("state", "failed"), 202).getString("replayId"));
    assertEquals(6, fixed.getLong("delivered"));
    for (String id : bad) assertEquals(1, target.arrivals(id));
  }

  @Test
  void deletesTakeTheSameFiltersAndUnknownDestinationsAnswer404() throws Exception {
    herald.start("strict", target, "{ dir: \"" + dir.resolve("data") + "\", fsync: always }");
    sendSomeRefused();
    List<String> remaining = new java.util.ArrayList<>(messageIds(herald.deadLetters("strict", "")));
    remaining.remove("bad-2");

    String path = "/admin/destinations/strict/dead-letters";
    assertEquals(new JsonObject().put("destination", "strict").put("deleted", 1),
        herald.adminJson(HttpMethod.DELETE, path + "?messageId=bad-2", null, 200));
    assertEquals(remaining, messageIds(herald.deadLetters("strict", "")));
    assertEquals(0, herald.adminJson(HttpMethod.DELETE, path + "?messageId=bad-2", null, 200).getLong("deleted"),
        "deleting again deletes nothing");
    assertEquals("invalid_parameter", herald.adminJson(HttpMethod.DELETE, path, null, 400).getString("code"),
        "deleting everything must be asked for");
    assertEquals(5, herald.adminJson(HttpMethod.DELETE, path + "?all=true", null, 200).getLong("deleted"));
    assertEquals(List.of(), messageIds(herald.deadLetters("strict", "")));

    String unknown = "/admin/destinations/nope/dead-letters";
    assertEquals(404, herald.admin(HttpMethod.GET, unknown, null).statusCode());
    assertEquals(404, herald.admin(HttpMethod.DELETE, unknown + "?all=true", null).statusCode());
    assertEquals(404, herald.admin(HttpMethod.POST, unknown + "/replay", new JsonObject()).statusCode());
    assertEquals(404, herald.admin(HttpMethod.GET, "/admin/replays/rp-none", null).statusCode());
    assertEquals("invalid_parameter", herald.adminJson(HttpMethod.POST, path + "/replay",
        new JsonObject().put("ratePerSecond", 1_000_000), 400).getString("code"));
    assertEquals("invalid_parameter", herald.adminJson(HttpMethod.POST, path + "/replay",
        new JsonObject().put("offset", 3), 400).getString("code"));
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
  void theCommandLineListsReplaysAndPurgesThroughTheAdminApiWithTheTokenFromTheEnvironment() throws Exception {
    herald.start("strict", target, "{ dir: \"" + dir.resolve("data") + "\", fsync: always }");
    List<String> bad = sendSomeRefused();
    String admin = "http://127.0.0.1:" + herald.herald.adminPort();

    Object[] listed = cli("dead-letters", "list", "--destination", "strict", "--admin", admin, "--message-id", "bad-4");
    assertEquals(0, listed[0], listed[2].toString());
    JsonArray letters = new JsonObject(listed[1].toString()).getJsonArray("deadLetters");
    assertEquals(List.of("bad-4"), messageIds(letters));

    target.rejectBad.set(false);
    Object[] replayed = cli("dead-letters", "replay", "--destination", "strict", "--admin", admin, "--rate", "50");
    assertEquals(0, replayed[0], replayed[2].toString());
    JsonObject done = new JsonObject(replayed[1].toString());
    assertEquals("done", done.getString("state"), "the command waits for the replay");
    assertEquals(6, done.getLong("delivered"));
    for (String id : bad) assertEquals(1, target.arrivals(id));

    Object[] purged = cli("dead-letters", "purge", "--destination", "strict", "--admin", admin, "--state", "replayed");
    assertEquals(0, purged[0], purged[2].toString());
    assertEquals(6, new JsonObject(purged[1].toString()).getLong("deleted"));

    Object[] wrongToken = cli("dead-letters", "list", "--destination", "strict", "--admin", admin, "--token", "wrong");
    assertEquals(1, wrongToken[0]);
    assertTrue(wrongToken[2].toString().contains("401"), wrongToken[2].toString());
    Object[] unknown = cli("dead-letters", "list", "--destination", "nope", "--admin", admin);
    assertEquals(1, unknown[0]);
    assertEquals(2, cli("dead-letters", "list", "--admin", admin)[0], "--destination is required");
  }
}
