package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.drain;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The log's part of the fault suite: a disk that fails one write (half-written) or one fsync at
 * several points, including a segment roll-over, and a disk that is full for a while. A caught-up
 * reader polls while each append is in flight. Every acknowledged event must reach it exactly
 * once and in order, no refused one ever, the reader must never stall, and after a restart the
 * log holds exactly the acknowledged events. Each scenario prints its counts.
 */
@ExtendWith(VertxExtension.class)
class LogFaultSuiteTest {

  private static final long SEED = 20261129L;
  private static final int APPENDS = 60;

  @TempDir
  Path dir;

  record Scenario(String name, Faults.Op op, int after, int times, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("the 3rd write fails half-written", Faults.Op.WRITE, 2, 1, "Input/output error"),
        new Scenario("the 30th write fails half-written", Faults.Op.WRITE, 29, 1, "Input/output error"),
        new Scenario("the 2nd fsync fails", Faults.Op.FORCE, 1, 1, "Input/output error"),
        new Scenario("the 20th fsync fails", Faults.Op.FORCE, 19, 1, "Input/output error"),
        new Scenario("the 45th fsync fails", Faults.Op.FORCE, 44, 1, "Input/output error"),
        new Scenario("creating the 3rd new segment fails", Faults.Op.OPEN_FOR_WRITE, 3, 1,
            "Input/output error"),
        new Scenario("the disk is full for 8 writes", Faults.Op.WRITE, 10, 8,
            "No space left on device"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyAcknowledgedEventIsReadOnceAndNoRefusedOneEver(Scenario scenario, Vertx vertx)
      throws Exception {
    Faults faults = new Faults();
    faults.fail(scenario.op(), scenario.after(), scenario.times(), scenario.message());
    EmbeddedEventLog log =
        await(EmbeddedEventLog.open(vertx, options(dir, 2048).withChannels(faults)));
    LogSubscription reader = await(log.subscribe("dest"));
    Random random = new Random(SEED);
    List<String> acked = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<LogEntry> delivered = new ArrayList<>();
    for (int a = 0; a < APPENDS; a++) {
      List<Event> batch = batch(a, 1 + random.nextInt(5));
      Future<Void> append = log.append(batch);
      delivered.addAll(await(reader.poll(1000, Long.MAX_VALUE)));
      try {
        await(append);
        batch.forEach(e -> acked.add(e.messageId()));
      } catch (ExecutionException e) {
        LogUnavailableException refusal = assertInstanceOf(LogUnavailableException.class, e.getCause());
        assertTrue(refusal.getMessage().contains(scenario.message()), refusal.getMessage());
        batch.forEach(ev -> refused.add(ev.messageId()));
      }
    }
    delivered.addAll(drain(reader, 1000));
    List<String> deliveredIds = delivered.stream().map(e -> e.event().messageId()).toList();
    long duplicates = deliveredIds.size() - new HashSet<>(deliveredIds).size();
    System.out.printf("log fault suite [%s]: acked %d, refused %d, delivered %d, duplicates %d, "
        + "refused delivered %d%n", scenario, acked.size(), refused.size(), deliveredIds.size(),
        duplicates, deliveredIds.stream().filter(refused::contains).count());
    assertTrue(faults.failures(scenario.op()) > 0, "the fault never happened");
    assertTrue(!refused.isEmpty(), "the fault refused no append");
    assertEquals(acked, deliveredIds, "every acknowledged event once, in order, nothing else");
    assertEquals(LogLosses.NONE, reader.losses());
    await(log.close());

    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 2048)));
    List<String> stored = drain(await(reopened.subscribe("after-restart")), 1000).stream()
        .map(e -> e.event().messageId()).toList();
    assertEquals(acked, stored, "after a restart the log holds exactly the acknowledged events");
    await(reopened.close());
  }

  private static List<Event> batch(int append, int size) {
    List<Event> batch = new ArrayList<>();
    for (Event e : events(append * 5, size)) {
      batch.add(new Event("a" + append + "-" + e.messageId(), e.type(), e.topic(), e.sourceId(),
          e.partitionKey(), e.receivedAt(), e.payloadBytes()));
    }
    return batch;
  }
}
