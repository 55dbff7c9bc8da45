package dev.herald.ingest;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import java.util.List;

/**
 * A real log with a test-controlled step around {@link #append}: delay its completion, make
 * it fail, or break it, to see how ingest answers.
 */
final class InterposedEventLog implements EventLog {

  /** What happens on append; the default passes straight through. */
  interface Interposer {
    Future<Void> append(List<Event> events, EventLog log);
  }

  private final EventLog delegate;
  volatile Interposer interposer = (events, log) -> log.append(events);

  InterposedEventLog(EventLog delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<Void> append(List<Event> events) {
    return interposer.append(events, delegate);
  }

  @Override
  public Future<LogSubscription> subscribe(String consumerId) {
    return delegate.subscribe(consumerId);
  }

  @Override
  public Future<DeadLetterStore> openDeadLetters(String destinationId) {
    return delegate.openDeadLetters(destinationId);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
