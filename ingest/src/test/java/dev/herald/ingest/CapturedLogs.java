package dev.herald.ingest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every line Herald (and Vert.x, Netty) logs while open, at DEBUG and above, for assertions. */
final class CapturedLogs implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger herald = (Logger) LoggerFactory.getLogger("dev.herald");
  private final Level heraldLevel = herald.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  CapturedLogs() {
    appender.start();
    herald.setLevel(Level.DEBUG);
    root.addAppender(appender);
  }

  List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** Lines at ERROR, or at WARN and above with a stack trace: what client input must never cause. */
  List<String> errorsOrStackTraces() {
    return events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
            || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
        .toList();
  }

  /** Formatted messages holding a control character (an ESC sequence reaching a terminal). */
  List<String> linesWithControlCharacters() {
    return events().stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m != null && m.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)))
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    herald.setLevel(heraldLevel);
  }
}
