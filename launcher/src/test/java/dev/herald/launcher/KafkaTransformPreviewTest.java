package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.kafka.KafkaEventLog;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald transform --recent} on a Herald whose log is Kafka. */
@ExtendWith(VertxExtension.class)
class KafkaTransformPreviewTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @Test
  void recentReadsTheNewestEventsOfTheDestinationFromHeraldsKafkaTopic(@TempDir Path dir, Vertx vertx) throws Exception {
    String topic = "preview-" + UUID.randomUUID();
    KafkaEventLog log = KafkaEventLog.open(vertx, KafkaLogOptions.defaults(KAFKA.bootstrapServers()).withTopic(topic)
        .withPartitions(2).withAppendTimeout(Duration.ofSeconds(40))).await();
    try {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String t = i % 2 == 0 ? "service-events" : "other";
        events.add(new Event("k" + i, null, t, "backend", "u" + (i % 3), Instant.ofEpochMilli(1_700_000_000_000L + i),
            new JsonObject().put("event", new JsonObject().put("n", i)).put("timestamp", "t").toBuffer()));
      }
      log.append(events).await();
    } finally {
      log.close().await();
    }
    Files.writeString(dir.resolve("amplitude.yaml"), FluvioConnectorTransformTest.seedConnector(9));
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        sources: [{ id: backend, writeKey: k }]
        log: { type: kafka, kafka: { bootstrapServers: "%s", topic: "%s", partitions: 2 } }
        connectors: [amplitude.yaml]
        """.formatted(KAFKA.bootstrapServers(), topic));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new Secrets(Map.of("AMPLITUDE_API_TOKEN", "tok")::get), dir.resolve("data"))
        .run(new String[] {"transform", "--config", config.toString(), "--destination", "amplitude-connector", "--recent", "2"});
    String text = out.toString();
    assertEquals(0, status, text + err);
    List<String> labels = text.lines().filter(l -> l.startsWith("#")).toList();
    assertEquals(2, labels.size(), text);
    assertTrue(labels.get(0).startsWith("#1 messageId=k16 topic=service-events"), text);
    assertTrue(labels.get(1).startsWith("#2 messageId=k18 topic=service-events"), text);
    assertTrue(text.contains("  out:   {\"events\":[{\"n\":18}],\"api_key\":\"******\"}"), text);
  }
}
