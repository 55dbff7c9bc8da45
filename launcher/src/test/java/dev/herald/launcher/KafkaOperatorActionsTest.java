package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator actions on the Kafka log, against a running Herald and a real broker: dead letters
 * in the destination's DLQ topic are listed with filters and replayed once (the replay marks are
 * marker records in that topic, so a second replay sends nothing, also after a restart), and a
 * pause is kept in the node's state directory across a restart.
 */
@ExtendWith(VertxExtension.class)
class KafkaOperatorActionsTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @TempDir Path dir;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String id = "kstrict-" + run;
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

  private String kafkaLog() {
    return "{ type: kafka, dir: \"" + dir.resolve("data") + "\", kafka: { bootstrapServers: \"" + KAFKA.bootstrapServers()
        + "\", topic: \"ops-" + run + "\", partitions: 2 } }";
  }

  private static List<String> messageIds(JsonArray letters) {
    return letters.stream().map(l -> ((JsonObject) l).getString("messageId")).toList();
  }

  private JsonObject replay(JsonObject body) throws InterruptedException {
    JsonObject started = herald.adminJson(HttpMethod.POST, "/admin/destinations/" + id + "/dead-letters/replay", body, 202);
    return herald.awaitReplay(started.getString("replayId"));
  }

  @Test
  void deadLettersOnKafkaAreListedAndAReplayRunTwiceSendsEachOnce() throws Exception {
    herald.start(id, target, kafkaLog());
    List<String> bad = IntStream.range(0, 4).mapToObj(i -> "kbad-" + i).toList();
    herald.send(List.of("kgood-0", "kgood-1"), false);
    herald.send(bad, true);
    Polling.until(Polling.STEP, () -> herald.deadLetters(id, "").size() == 4, () -> "dead letters " + herald.deadLetters(id, ""));
    assertEquals(Set.copyOf(bad), Set.copyOf(messageIds(herald.deadLetters(id, "?status=400&state=new"))));
    assertEquals(List.of("kbad-2"), messageIds(herald.deadLetters(id, "?messageId=kbad-2")));
    assertEquals(2, herald.deadLetters(id, "?limit=2&offset=1").size());

    target.rejectBad.set(false);
    JsonObject first = replay(new JsonObject());
    assertEquals(4, first.getLong("delivered"), first.encode());
    for (String m : bad) assertEquals(1, target.arrivals(m), m + " delivered once with its messageId");
    assertEquals(Set.copyOf(bad), Set.copyOf(messageIds(herald.deadLetters(id, "?state=replayed"))));

    JsonObject second = replay(new JsonObject());
    assertEquals(4, second.getLong("skipped"));
    assertEquals(0, second.getLong("replayed"));

    herald.stop();
    herald.start(id, target, kafkaLog());
    JsonObject afterRestart = replay(new JsonObject());
    assertEquals(4, afterRestart.getLong("selected"));
    assertEquals(4, afterRestart.getLong("skipped"), "the marks are in the topic: " + afterRestart.encode());
    for (String m : bad) assertEquals(1, target.arrivals(m), m + ": replaying twice sends once");

    assertEquals(1, herald.adminJson(HttpMethod.DELETE, "/admin/destinations/" + id + "/dead-letters?messageId=kbad-0",
        null, 200).getLong("deleted"));
    assertEquals(3, herald.deadLetters(id, "").size());
  }

  @Test
  void aPauseOnKafkaIsKeptInTheNodesStateDirectoryAcrossARestart() throws Exception {
    herald.start(id, target, kafkaLog());
    herald.adminJson(HttpMethod.POST, "/admin/destinations/" + id + "/pause", null, 200);
    List<String> during = IntStream.range(0, 10).mapToObj(i -> "kpause-" + i).toList();
    herald.send(during, false);
    herald.stop();
    herald.start(id, target, kafkaLog());
    JsonObject status = herald.status(id);
    assertEquals("PAUSED", status.getString("state"), status.encode());
    Polling.until(Polling.STEP, () -> herald.status(id).getLong("lag") == 10, () -> "lag " + herald.status(id));
    assertEquals(0, target.total(), "nothing sent while paused");

    herald.adminJson(HttpMethod.POST, "/admin/destinations/" + id + "/resume", null, 200);
    Polling.until(Polling.STEP, () -> during.stream().allMatch(m -> target.arrivals(m) >= 1), () -> target.total() + " arrived");
    for (String m : during) assertEquals(1, target.arrivals(m));
    assertTrue(!herald.status(id).getBoolean("paused"));
  }
}
