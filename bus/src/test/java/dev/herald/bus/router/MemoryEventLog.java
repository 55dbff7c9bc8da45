package dev.herald.bus.router;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stand-in log used only until the embedded log is available on this branch. */
final class MemoryEventLog implements EventLog {

  private final Vertx vertx;
  private final List<LogEntry> entries = new ArrayList<>();
  private final Map<String, Long> cursors = new HashMap<>();
  private final List<Sub> subs = new ArrayList<>();

  MemoryEventLog(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public synchronized Future<Void> append(List<Event> events) {
    for (Event e : events) {
      entries.add(new LogEntry(0, entries.size(), e, e.payloadBytes().length()));
    }
    for (Sub s : subs) s.notifyAvailable();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<LogSubscription> subscribe(String consumerId) {
    Sub sub = new Sub(consumerId, cursors.getOrDefault(consumerId, 0L), vertx.getOrCreateContext());
    subs.add(sub);
    return Future.succeededFuture(sub);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  synchronized long committed(String consumerId) {
    return cursors.getOrDefault(consumerId, 0L);
  }

  private final class Sub implements LogSubscription {
    final String id;
    final Context context;
    long position;
    volatile Handler<Void> handler;

    Sub(String id, long position, Context context) {
      this.id = id;
      this.position = position;
      this.context = context;
    }

    void notifyAvailable() {
      Handler<Void> h = handler;
      if (h != null) context.runOnContext(v -> h.handle(null));
    }

    @Override
    public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) {
      synchronized (MemoryEventLog.this) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        while (position < entries.size() && out.size() < maxRecords && (out.isEmpty() || bytes < maxBytes)) {
          LogEntry e = entries.get((int) position++);
          out.add(e);
          bytes += e.sizeBytes();
        }
        return Future.succeededFuture(out);
      }
    }

    @Override
    public Future<Void> commit(Map<Integer, Long> nextOffsets) {
      synchronized (MemoryEventLog.this) {
        Long next = nextOffsets.get(0);
        if (next != null && next > cursors.getOrDefault(id, 0L)) cursors.put(id, next);
        return Future.succeededFuture();
      }
    }

    @Override
    public void onAvailable(Handler<Void> handler) {
      this.handler = handler;
    }

    @Override
    public long lag() {
      synchronized (MemoryEventLog.this) {
        return entries.size() - cursors.getOrDefault(id, 0L);
      }
    }

    @Override
    public Future<Void> close() {
      synchronized (MemoryEventLog.this) {
        subs.remove(this);
      }
      handler = null;
      return Future.succeededFuture();
    }
  }
}
