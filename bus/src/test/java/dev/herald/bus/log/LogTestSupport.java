package dev.herald.bus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Events, waiting and log capture shared by the tests of the logs. */
public final class LogTestSupport {

  private LogTestSupport() {}

  public static final Instant BASE_TIME = Instant.parse("2026-11-23T10:15:30.123Z");

  /** A varied event: raw records (null type) every third, non-ASCII text every fifth. */
  public static Event event(int i) {
    String type = i % 3 == 0 ? null : "track";
    String user = i % 5 == 0 ? "usér-" + i + "-ü✓" : "user-" + i;
    JsonObject payload = new JsonObject().put("event", "Order Completed").put("n", i)
        .put("userId", user).put("properties", new JsonObject().put("total", i * 1.5));
    return new Event("msg-" + i, type, i % 3 == 0 ? "service-events" : "analytics",
        "source-" + (i % 2), user, BASE_TIME.plusMillis(i * 7L), payload.toBuffer());
  }

  public static List<Event> events(int from, int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      events.add(event(i));
    }
    return events;
  }

  public static void assertSameEvent(Event expected, Event actual) {
    assertEquals(expected.messageId(), actual.messageId());
    assertEquals(expected.type(), actual.type());
    assertEquals(expected.topic(), actual.topic());
    assertEquals(expected.sourceId(), actual.sourceId());
    assertEquals(expected.partitionKey(), actual.partitionKey());
    assertEquals(expected.receivedAt(), actual.receivedAt());
    assertEquals(expected.payloadBytes(), actual.payloadBytes());
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }

  /** Reads everything the subscription has, in polls of {@code maxRecords}. */
  public static List<LogEntry> drain(LogSubscription subscription, int maxRecords) throws Exception {
    List<LogEntry> all = new ArrayList<>();
    while (true) {
      List<LogEntry> batch = await(subscription.poll(maxRecords, Long.MAX_VALUE));
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }

  /** Captures what a class logs at WARN and above while the test runs. */
  public static final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public CapturedLog(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    public List<String> warnings() {
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }
}
