package dev.herald.bus.log.kafka;

import static dev.herald.bus.log.kafka.KafkaEventLogTest.await;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.awaitFailure;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.eventually;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.events;
import static dev.herald.bus.log.kafka.KafkaEventLogTest.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker of its own, stopped and started again under the log's feet. */
@ExtendWith(VertxExtension.class)
class KafkaOutageTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.perClass();

  @Test
  void appendsFailFastWhileKafkaIsDownAndNothingAcknowledgedIsLost(Vertx vertx) throws Exception {
    KafkaLogOptions options = KafkaLogOptions.defaults(KAFKA.bootstrapServers())
        .withTopic("outage").withPartitions(3).withAppendTimeout(Duration.ofSeconds(3));
    KafkaEventLog log = await(KafkaEventLog.open(vertx, options));
    LogSubscription subscription = await(log.subscribe("outage-reader"));
    Set<String> acknowledged = new HashSet<>();
    append(log, events("before", 50), acknowledged);

    KAFKA.broker().stop();
    long start = System.nanoTime();
    Throwable first = awaitFailure(log.append(events("during-0", 5)));
    long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertInstanceOf(LogUnavailableException.class, first);
    assertTrue(firstMillis < 6_000, "the first append fails within the append timeout, took " + firstMillis + " ms");
    assertTrue(!log.available());

    // Now that the log knows, appends are refused at once: failed before append returns, without
    // reaching Kafka (one probe a second still goes through and waits for the timeout).
    int refusedAtOnce = 0;
    for (int i = 1; i <= 20; i++) {
      Future<Void> append = log.append(events("during-" + i, 5));
      if (append.isComplete()) refusedAtOnce++;
      assertInstanceOf(LogUnavailableException.class, awaitFailure(append));
    }
    assertTrue(refusedAtOnce >= 17, "appends refused at once while Kafka is down: " + refusedAtOnce + " of 20");

    KAFKA.broker().start();
    eventually("an append acknowledged after the restart", () -> {
      try {
        append(log, events("after-probe-" + System.nanoTime(), 1), acknowledged);
        return true;
      } catch (AssertionError stillDown) {
        return false;
      }
    });
    assertTrue(log.available());
    append(log, events("after", 50), acknowledged);

    Set<String> read = new HashSet<>();
    eventually("every acknowledged event read after the restart", () -> {
      for (LogEntry entry : poll(subscription)) read.add(entry.event().messageId());
      return read.containsAll(acknowledged);
    });
    // Refused appends may still have reached Kafka (the client retries them anyway): at least once.
    assertTrue(read.containsAll(acknowledged));
    assertEquals(acknowledged.size(), acknowledged.stream().filter(read::contains).count());
    await(subscription.close());
    await(log.close());
  }

  private static void append(KafkaEventLog log, List<Event> events, Set<String> acknowledged) {
    await(log.append(events));
    events.forEach(e -> acknowledged.add(e.messageId()));
  }
}
