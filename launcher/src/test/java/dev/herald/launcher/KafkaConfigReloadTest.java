package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static dev.herald.launcher.ReloadHarness.SOURCES;
import static dev.herald.launcher.ReloadHarness.http;
import static dev.herald.launcher.ReloadHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import dev.herald.launcher.ReloadHarness.Sink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload on the Kafka log against a real broker: an added destination's new consumer group
 * starts at the topic's end (or its start with {@code startFrom: earliest}), and a removed one's
 * group offsets on the log topic are deleted.
 */
@ExtendWith(VertxExtension.class)
class KafkaConfigReloadTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @TempDir Path dir;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private ReloadHarness harness;
  private Sink hook;
  private Sink late;
  private Sink backlog;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    harness = new ReloadHarness(vertx, dir);
    hook = await(Sink.start(vertx));
    late = await(Sink.start(vertx));
    backlog = await(Sink.start(vertx));
  }

  @AfterEach
  void tearDown() {
    harness.stop();
    Stream.of(hook, late, backlog).forEach(s -> await(s.server.close()));
  }

  private String kafkaLog() {
    return "{ type: kafka, dir: \"" + dir.resolve("data") + "\", kafka: { bootstrapServers: \"" + KAFKA.bootstrapServers()
        + "\", topic: \"reload-" + run + "\", partitions: 2 } }";
  }

  @Test
  void anAddedDestinationStartsAtTheTopicsEndAndARemovedOnesGroupOffsetsAreDeleted() throws Exception {
    String lateId = "late-" + run;
    String backlogId = "backlog-" + run;
    harness.write(SOURCES, kafkaLog(), http("hook", hook, ""));
    harness.start();
    List<String> before = ids("before", 4);
    harness.send(before);
    Polling.until(Polling.STEP, () -> hook.receivedAll(before), () -> "hook got " + hook.received());

    harness.write(SOURCES, kafkaLog(), http("hook", hook, ""), http(lateId, late, ""),
        http(backlogId, backlog, "startFrom: earliest"));
    JsonObject added = harness.reload(200);
    assertEquals(new JsonArray().add(lateId).add(backlogId), added.getJsonArray("added"));
    List<String> after = ids("after", 4);
    harness.send(after);
    List<String> all = Stream.concat(before.stream(), after.stream()).toList();
    Polling.until(Polling.STEP, () -> late.receivedAll(after), () -> "late got " + late.received());
    Polling.until(Polling.STEP, () -> backlog.receivedAll(all), () -> "backlog got " + backlog.received());
    late.assertExactly(after);
    backlog.assertExactly(all);

    String topic = "reload-" + run;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      Polling.until(Polling.STEP, () -> committedOn(admin, KafkaLogOptions.GROUP_PREFIX + lateId, topic) > 0,
          () -> "late committed nothing");
      harness.write(SOURCES, kafkaLog(), http("hook", hook, ""), http(backlogId, backlog, "startFrom: earliest"));
      JsonObject removed = harness.reload(200);
      assertEquals(new JsonArray().add(lateId), removed.getJsonArray("removed"));
      assertTrue(harness.herald.router().runner(lateId).isEmpty());
      assertEquals(0, committedOn(admin, KafkaLogOptions.GROUP_PREFIX + lateId, topic),
          "the removed destination's offsets on the log topic are gone");
      assertTrue(committedOn(admin, KafkaLogOptions.GROUP_PREFIX + backlogId, topic) > 0, "the others' are kept");
    }
    List<String> last = ids("last", 2);
    harness.send(last);
    Polling.until(Polling.STEP, () -> hook.receivedAll(last) && backlog.receivedAll(last), () -> "not delivered");
    late.assertExactly(after);
  }

  /** How many of the topic's partitions the group has an offset for. */
  private static int committedOn(Admin admin, String group, String topic) {
    try {
      return (int) admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .keySet().stream().filter(tp -> tp.topic().equals(topic)).count();
    } catch (Exception e) {
      throw new AssertionError("cannot read the offsets of " + group, e);
    }
  }
}
