package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.awaitFailure;
import static dev.herald.bus.log.LogTestSupport.drain;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded log on a disk whose writes and fsyncs fail (through {@link Faults}). */
@ExtendWith(VertxExtension.class)
class EmbeddedLogFaultTest {

  @TempDir
  Path dir;

  /** Events {@code from..from+count-1} whose messageIds start with {@code prefix}. */
  static List<Event> named(String prefix, int from, int count) {
    List<Event> out = new ArrayList<>();
    for (Event e : events(from, count)) {
      out.add(new Event(prefix + e.messageId().substring("msg".length()), e.type(), e.topic(),
          e.sourceId(), e.partitionKey(), e.receivedAt(), e.payloadBytes()));
    }
    return out;
  }

  static List<String> ids(List<LogEntry> entries) {
    return entries.stream().map(e -> e.event().messageId()).toList();
  }

  static List<String> expectedIds(String prefix, int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> prefix + "-" + i).toList();
  }

  @Test
  void aReaderNeverDeliversRecordsWhoseFsyncFailed(Vertx vertx) throws Exception {
    Faults faults = new Faults();
    EmbeddedEventLog log =
        await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20).withChannels(faults)));
    await(log.append(named("msg", 0, 100)));
    LogSubscription subscription = await(log.subscribe("dest"));

    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    faults.pauseNextAndFail(Faults.Op.FORCE, written, release, "Input/output error");
    Future<Void> refused = log.append(named("BAD", 100, 10));
    assertTrue(written.await(30, TimeUnit.SECONDS), "the writer never reached its fsync");
    // the refused records are in the file now, not yet durable: a poll must not take them along
    assertEquals(expectedIds("msg", 0, 100), ids(drain(subscription, 1000)));
    release.countDown();
    assertInstanceOf(LogUnavailableException.class, awaitFailure(refused));

    await(log.append(named("msg", 100, 10)));
    assertEquals(expectedIds("msg", 100, 10), ids(drain(subscription, 1000)));
    await(log.close());
  }

  @Test
  void aPollThatMeetsAnErrorReturnsWhatItReadAndSkipsNothing(Vertx vertx) throws Exception {
    Faults faults = new Faults();
    EmbeddedEventLog log =
        await(EmbeddedEventLog.open(vertx, options(dir, 2048).withChannels(faults)));
    await(log.append(named("msg", 0, 40)));
    List<Long> bases = log.segmentBaseOffsetsForTest();
    assertTrue(bases.size() > 2, bases.toString());
    LogSubscription subscription = await(log.subscribe("dest"));
    // the first segment opens, the next one cannot
    faults.fail(Faults.Op.OPEN_FOR_READ, 1, Integer.MAX_VALUE, "Too many open files");

    List<LogEntry> first = await(subscription.poll(1000, Long.MAX_VALUE));
    assertEquals(expectedIds("msg", 0, bases.get(1).intValue()), ids(first));
    assertTrue(awaitFailure(subscription.poll(1000, Long.MAX_VALUE)).getMessage()
        .contains("Too many open files"));
    faults.heal(Faults.Op.OPEN_FOR_READ);
    List<LogEntry> rest = drain(subscription, 1000);
    assertEquals(expectedIds("msg", bases.get(1).intValue(), 40 - bases.get(1).intValue()),
        ids(rest));
    await(log.close());
  }
}
