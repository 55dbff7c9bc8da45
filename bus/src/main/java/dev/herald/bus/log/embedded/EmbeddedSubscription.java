package dev.herald.bus.log.embedded;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A consumer's reader of the {@link EmbeddedEventLog}: it keeps a segment file open at the
 * position after the last entry it returned, so each poll reads on sequentially; only a new
 * subscription (or one whose position retention deleted) scans a segment to find its offset.
 * Polls read on a worker thread; one poll at a time per subscription.
 */
final class EmbeddedSubscription implements LogSubscription {

  private final EmbeddedEventLog log;
  private final Vertx vertx;
  private final String consumerId;
  /** Next offset to return; written under the monitor, read without it for the fast path. */
  private volatile long nextOffset;
  private RecordReader reader;
  private final Object wakeupLock = new Object();
  private MessageConsumer<Long> wakeups;
  private volatile boolean closed;

  EmbeddedSubscription(EmbeddedEventLog log, Vertx vertx, String consumerId, long nextOffset) {
    this.log = log;
    this.vertx = vertx;
    this.consumerId = consumerId;
    this.nextOffset = nextOffset;
  }

  @Override
  public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("subscription " + consumerId + " is closed"));
    }
    if (maxRecords <= 0 || maxBytes <= 0) {
      return Future.failedFuture(new IllegalArgumentException(
          "maxRecords and maxBytes must be positive, not " + maxRecords + " and " + maxBytes));
    }
    if (nextOffset >= log.endOffset() && nextOffset >= log.startOffset()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> read(maxRecords, maxBytes), false);
  }

  private synchronized List<LogEntry> read(int maxRecords, long maxBytes) throws IOException {
    if (closed) {
      throw new IllegalStateException("subscription " + consumerId + " is closed");
    }
    long end = log.endOffset();
    long start = log.startOffset();
    if (nextOffset < start) {
      // retention deleted what this consumer had not read yet (logged and counted there)
      moveTo(start);
    }
    if (nextOffset >= end) {
      return List.of();
    }
    if (reader == null) {
      seek();
    }
    List<LogEntry> entries = new ArrayList<>((int) Math.min(maxRecords, end - nextOffset));
    long bytes = 0;
    while (entries.size() < maxRecords && nextOffset < end) {
      RecordReader.Status status = reader.next();
      if (status == RecordReader.Status.END) {
        openSegmentStartingAt(nextOffset);
        continue;
      }
      if (status != RecordReader.Status.RECORD) {
        throw new IOException("unreadable record in " + reader.path() + " at position "
            + reader.position() + ": " + reader.problem());
      }
      if (reader.offset() != nextOffset) {
        throw new IOException("record at position " + reader.position() + " of " + reader.path()
            + " has offset " + reader.offset() + " where " + nextOffset + " was expected");
      }
      int size = RecordFormat.payloadSize(reader.body(), reader.bodyStart(), reader.bodyLength());
      if (!entries.isEmpty() && bytes + size > maxBytes) {
        break;
      }
      Event event = RecordFormat.decode(reader.body(), reader.bodyStart(), reader.bodyLength());
      entries.add(new LogEntry(0, nextOffset, event, size));
      bytes += size;
      reader.advance();
      nextOffset = nextOffset + 1;
    }
    return entries;
  }

  private void moveTo(long offset) throws IOException {
    closeReaderQuietly();
    nextOffset = offset;
  }

  /** Opens the segment holding {@link #nextOffset} and scans to its record. */
  private void seek() throws IOException {
    for (int attempt = 0; ; attempt++) {
      Segment segment = log.segmentContaining(nextOffset);
      if (segment == null) {
        throw new IOException("no segment holds offset " + nextOffset);
      }
      try {
        reader = new RecordReader(segment.path, 0);
      } catch (NoSuchFileException deleted) {
        if (attempt > 2) {
          throw deleted;
        }
        nextOffset = Math.max(nextOffset, log.startOffset());
        continue;
      }
      break;
    }
    while (true) {
      RecordReader.Status status = reader.next();
      if (status != RecordReader.Status.RECORD || reader.offset() >= nextOffset) {
        // END here means the offset starts the next segment: read() moves on to it
        return;
      }
      reader.advance();
    }
  }

  private void openSegmentStartingAt(long offset) throws IOException {
    Segment next = log.segmentAt(offset);
    if (next == null) {
      if (offset < log.startOffset()) {
        moveTo(log.startOffset());
        seek();
        return;
      }
      throw new IOException("no segment starts at offset " + offset + " after " + reader.path());
    }
    closeReaderQuietly();
    reader = new RecordReader(next.path, 0);
  }

  @Override
  public Future<Void> commit(Map<Integer, Long> nextOffsets) {
    for (Integer partition : nextOffsets.keySet()) {
      if (partition == null || partition != 0) {
        return Future.failedFuture(new IllegalArgumentException(
            "the embedded log has only partition 0, not " + partition));
      }
    }
    Long offset = nextOffsets.get(0);
    if (offset == null) {
      return Future.succeededFuture();
    }
    long end = log.endOffset();
    if (offset < 0 || offset > end) {
      return Future.failedFuture(new IllegalArgumentException(
          "cannot commit offset " + offset + ": the log holds offsets below " + end));
    }
    return vertx.executeBlocking(() -> {
      log.cursors().advance(consumerId, offset);
      return null;
    }, false);
  }

  @Override
  public void onAvailable(Handler<Void> handler) {
    Context context = vertx.getOrCreateContext();
    synchronized (wakeupLock) {
      if (wakeups != null) {
        wakeups.unregister();
      }
      wakeups = vertx.eventBus().localConsumer(EventLog.APPENDED_ADDRESS,
          message -> handler.handle(null));
    }
    // entries may already be waiting: let the subscriber look once right away
    context.runOnContext(v -> handler.handle(null));
  }

  @Override
  public long lag() {
    Long committed = log.cursors().get(consumerId);
    long settled = Math.max(committed == null ? 0 : committed, log.startOffset());
    return Math.max(0, log.endOffset() - settled);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    MessageConsumer<Long> consumer;
    synchronized (wakeupLock) {
      consumer = wakeups;
      wakeups = null;
    }
    log.forget(this);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.compose(v -> vertx.executeBlocking(() -> {
      closeReader();
      return null;
    }, false));
  }

  /** Releases the open segment file (blocking: waits for a running poll). */
  synchronized void closeReader() {
    closeReaderQuietly();
  }

  private void closeReaderQuietly() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException ignored) {
        // a read-only channel has nothing to lose
      }
      reader = null;
    }
  }
}
