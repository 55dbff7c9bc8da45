package dev.herald.bus.log.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Previews read the newest events of Herald's Kafka topic without a group and without writing. */
@ExtendWith(VertxExtension.class)
class KafkaTailTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @Test
  void theNewestWantedEventsComeBackInReceiptOrderAcrossPartitions(Vertx vertx) throws Exception {
    KafkaLogOptions options = KafkaLogOptions.defaults(KAFKA.bootstrapServers()).withTopic("tail-" + UUID.randomUUID())
        .withPartitions(3).withAppendTimeout(Duration.ofSeconds(40));
    KafkaEventLog log = KafkaEventLog.open(vertx, options).await();
    try {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 90; i++) {
        String topic = i % 3 == 0 ? "service-events" : "analytics";
        events.add(new Event("m-" + i, null, topic, "backend", "user-" + (i % 7),
            Instant.ofEpochMilli(1_700_000_000_000L + i), new JsonObject().put("seq", i).toBuffer()));
      }
      log.append(events).await();

      List<String> last = KafkaTail.last(options, 4, e -> e.topic().equals("service-events")).stream()
          .map(Event::messageId).toList();
      assertEquals(List.of("m-78", "m-81", "m-84", "m-87"), last);
      assertEquals(30, KafkaTail.last(options, 50, e -> e.topic().equals("service-events")).size(),
          "all there are when fewer than asked");
    } finally {
      log.close().await();
    }
  }
}
