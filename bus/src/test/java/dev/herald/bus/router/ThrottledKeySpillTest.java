package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.router.KeyHoldAndSetupErrorTest.ScriptedDestination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import dev.herald.bus.log.kafka.KafkaEventLog;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.kafka.testkit.KafkaBrokerExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One throttled key with more events than the hold budget never stops the other keys. */
@ExtendWith(VertxExtension.class)
class ThrottledKeySpillTest {

  private static final int BUDGET = 20;

  @TempDir Path dir;
  private EventLog log;
  private DeadLetterStore deadLetters;
  private String deployment;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (deployment != null) await(vertx.undeploy(deployment));
    if (deadLetters != null) await(deadLetters.close());
    if (log != null) await(log.close());
  }

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @Test
  void aKeyThrottledPastTheHoldBudgetStaysInTheLogWhileEveryOtherKeyIsDeliveredAndNothingIsLostOrDuplicated(Vertx vertx) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    deadLetters = await(DeadLetterStore.open(vertx, dir.resolve("dead-letters"), "amp"));
    throttledKeyDoesNotStopTheOthers(vertx);
  }

  @Test
  void onKafkaTooAKeyThrottledPastTheHoldBudgetIsReadAgainByOffsetWhileEveryOtherKeyIsDelivered(Vertx vertx) {
    KafkaEventLog kafka = await(KafkaEventLog.open(vertx, KafkaLogOptions.defaults(KAFKA.bootstrapServers())
        .withTopic("spill-" + UUID.randomUUID()).withPartitions(3)));
    log = kafka;
    deadLetters = await(kafka.openDeadLetters("amp"));
    throttledKeyDoesNotStopTheOthers(vertx);
  }

  private void throttledKeyDoesNotStopTheOthers(Vertx vertx) {
    int hotEvents = 300;
    int otherEvents = 300;
    AtomicInteger othersDelivered = new AtomicInteger();
    // "hot" is throttled as long as any other user's event is undelivered: with every held event
    // kept in memory, reading stopped at the budget and nothing moved again (a livelock).
    ScriptedDestination destination = new ScriptedDestination(event -> {
      if (!event.partitionKey().equals("hot")) {
        othersDelivered.incrementAndGet();
        return SendResult.delivered();
      }
      return othersDelivered.get() < otherEvents
          ? SendResult.throttled("user throttled", Duration.ofMillis(100), 429) : SendResult.delivered();
    }, Limits.DEFAULT);
    DeliveryPolicy policy = new DeliveryPolicy(10, 5, 1, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 5, Duration.ofMillis(150));
    DestinationRunner runner = new DestinationRunner(new RouteSpec("amp", "amplitude", destination, null, policy),
        log, deadLetters).holdBudget(BUDGET, Long.MAX_VALUE);
    deployment = await(vertx.deployVerticle(runner));

    List<Event> events = new ArrayList<>();
    for (int i = 0; i < hotEvents + otherEvents; i++) {
      events.add(TestSupport.track(i % 2 == 0 ? "hot" : "u" + (i % 10), "E", i));
    }
    for (int i = 0; i < events.size(); i += 50) await(log.append(events.subList(i, i + 50)));

    int[] maxHeld = {0};
    eventually(Duration.ofSeconds(60), () -> "all delivered: " + destination.deliveries.size() + " " + runner.status(),
        () -> {
          maxHeld[0] = Math.max(maxHeld[0], runner.heldEvents());
          return destination.deliveries.size() == hotEvents + otherEvents;
        });
    eventually(() -> "lag 0: " + runner.status(), () -> runner.status().lag() == 0);

    List<ScriptedDestination.Delivery> deliveries = List.copyOf(destination.deliveries);
    assertEquals(hotEvents + otherEvents, Set.copyOf(destination.deliveredIds()).size(), "nothing delivered twice");
    List<String> hotOrder = deliveries.stream().filter(d -> d.key().equals("hot")).map(d -> d.messageId()).toList();
    List<String> expectedHot = events.stream().filter(e -> e.partitionKey().equals("hot")).map(Event::messageId).toList();
    assertEquals(expectedHot, hotOrder, "the throttled key keeps its order");
    int firstHot = deliveries.indexOf(deliveries.stream().filter(d -> d.key().equals("hot")).findFirst().orElseThrow());
    assertEquals(otherEvents, firstHot, "every other user's events went through while hot was throttled");
    // Held events stay near the budget: at most one batch and one read-ahead more (10 + 20).
    assertTrue(maxHeld[0] <= BUDGET + 30, "held at most " + maxHeld[0]);
    assertTrue(maxHeld[0] > 0, "hot was held");
    assertEquals(0, runner.status().deadLettered());
  }
}
