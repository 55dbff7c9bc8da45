package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small in-memory {@link EventLog} for tests, refusing appends once closed. */
final class InMemoryEventLog implements EventLog {

  private final List<Event> events = new ArrayList<>();
  private boolean closed;

  @Override
  public synchronized Future<Void> append(List<Event> batch) {
    if (closed) {
      return Future.failedFuture(new LogUnavailableException("the log is closed"));
    }
    events.addAll(batch);
    return Future.succeededFuture();
  }

  @Override
  public Future<LogSubscription> subscribe(String consumerId) {
    return Future.succeededFuture(new LogSubscription() {
      private int position;

      @Override
      public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        synchronized (InMemoryEventLog.this) {
          while (position < events.size() && out.size() < maxRecords) {
            Event event = events.get(position);
            out.add(new LogEntry(0, position++, event, event.payloadBytes().length()));
          }
        }
        return Future.succeededFuture(out);
      }

      @Override
      public Future<Void> commit(Map<Integer, Long> nextOffsets) {
        return Future.succeededFuture();
      }

      @Override
      public void onAvailable(Handler<Void> handler) {}

      @Override
      public long lag() {
        synchronized (InMemoryEventLog.this) {
          return events.size() - position;
        }
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    });
  }

  @Override
  public synchronized Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }
}
