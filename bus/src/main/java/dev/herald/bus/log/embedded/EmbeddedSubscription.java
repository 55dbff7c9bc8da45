package dev.herald.bus.log.embedded;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogLosses;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's reader of the {@link EmbeddedEventLog}: it keeps a segment file open at the
 * position after the last entry it returned, so each poll reads on sequentially; only a new
 * subscription (or one whose position retention deleted) scans a segment to find its offset.
 * Polls read on a worker thread; one poll at a time per subscription. Reads stop at the log's
 * {@link DurableEnd}, never at the file's end, so bytes of a group that fails after its write are
 * never seen. A damaged record (checksum, length, structure or offset) is skipped to the next
 * readable one, and the events it cost are logged and counted ({@link #losses()}).
 */
final class EmbeddedSubscription implements LogSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSubscription.class);

  private final EmbeddedEventLog log;
  private final Vertx vertx;
  private final String consumerId;
  /** Next offset to return; written under the monitor, read without it for the fast path. */
  private volatile long nextOffset;
  private RecordReader reader;
  /** The segment {@link #reader} reads. */
  private Segment segment;
  private final Object wakeupLock = new Object();
  private MessageConsumer<Long> wakeups;
  private volatile boolean closed;

  EmbeddedSubscription(EmbeddedEventLog log, Vertx vertx, String consumerId, long nextOffset) {
    this.log = log;
    this.vertx = vertx;
    this.consumerId = consumerId;
    this.nextOffset = nextOffset;
  }

  String consumerId() {
    return consumerId;
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
    DurableEnd durable = log.durableEnd();
    long end = durable.offset();
    long start = log.startOffset();
    if (nextOffset < start) {
      // retention deleted what this consumer had not read yet (logged and counted there)
      moveTo(start);
    }
    if (nextOffset >= end) {
      return List.of();
    }
    List<LogEntry> entries = new ArrayList<>((int) Math.min(maxRecords, end - nextOffset));
    try {
      if (reader == null) {
        openAt(nextOffset);
      }
      long bytes = 0;
      while (entries.size() < maxRecords && nextOffset < end) {
        reader.limit(durable.limitFor(segment.baseOffset));
        RecordReader.Status status = reader.next();
        if (status == RecordReader.Status.END) {
          segmentEnded(durable);
          continue;
        }
        if (status != RecordReader.Status.RECORD) {
          skipDamage(reader.problem(), durable);
          continue;
        }
        long offset = reader.offset();
        if (offset < nextOffset) {
          // looking for this consumer's position in the segment
          reader.advance();
          continue;
        }
        long bound = boundOf(segment, durable);
        if (offset >= bound) {
          skipDamage("offset " + offset + " where at most " + (bound - 1) + " fits", durable);
          continue;
        }
        if (offset > nextOffset) {
          lose(nextOffset, offset, reader.position(), "offsets missing before the record");
        }
        int size = RecordFormat.payloadSize(reader.body(), reader.bodyStart(), reader.bodyLength());
        if (!entries.isEmpty() && bytes + size > maxBytes) {
          break;
        }
        Event event = reader.event();
        entries.add(new LogEntry(0, offset, event, size));
        bytes += size;
        reader.advance();
        nextOffset = offset + 1;
      }
    } catch (IOException | RuntimeException e) {
      // the reader's position is unknown now: the next poll opens the file again at nextOffset
      closeReaderQuietly();
      if (entries.isEmpty()) {
        throw e;
      }
      LOG.debug("Consumer {} stopped reading at offset {}: {}", consumerId, nextOffset, e.toString());
    }
    return entries;
  }

  /** The offset no record of {@code current} may reach: the next segment's base or the end. */
  private long boundOf(Segment current, DurableEnd durable) {
    Segment next = log.segmentAfter(current.baseOffset);
    return next == null || current.baseOffset >= durable.segmentBase()
        ? durable.offset() : Math.min(next.baseOffset, durable.offset());
  }

  /** The current segment has no more records: go on in the next one. */
  private void segmentEnded(DurableEnd durable) throws IOException {
    if (segment.baseOffset >= durable.segmentBase()) {
      // the newest segment's file ends before what was made durable in it: it was cut short
      lose(nextOffset, durable.offset(), reader.position(), "the file ends before its durable end");
      reader.moveTo(durable.position());
      return;
    }
    Segment next = log.segmentAfter(segment.baseOffset);
    if (next.baseOffset > nextOffset) {
      lose(nextOffset, next.baseOffset, reader.position(),
          "the segment ends before the next one's base offset");
    }
    open(next);
  }

  /**
   * Moves past a damaged record to the next readable one in this segment, else to the next
   * segment (or the durable end of the newest), and counts what this consumer lost on the way.
   */
  private void skipDamage(String problem, DurableEnd durable) throws IOException {
    long damagedAt = reader.position();
    long bound = boundOf(segment, durable);
    if (reader.resync(segment.baseOffset, bound)) {
      reader.next();
      long found = reader.offset();
      if (found > nextOffset) {
        lose(nextOffset, found, damagedAt, problem);
      }
      return;
    }
    if (segment.baseOffset >= durable.segmentBase()) {
      lose(nextOffset, durable.offset(), damagedAt, problem);
      reader.moveTo(durable.position());
      return;
    }
    Segment next = log.segmentAfter(segment.baseOffset);
    if (next.baseOffset > nextOffset) {
      lose(nextOffset, next.baseOffset, damagedAt, problem);
    }
    open(next);
  }

  /** Skips offsets [from, to): logged with where, counted, never silent. */
  private void lose(long from, long to, long position, String problem) {
    if (to <= from) {
      return;
    }
    long lost = to - from;
    log.recordDamage(consumerId, lost);
    LOG.warn("Consumer {} lost {} events (offsets {} to {}): damaged record in {} at position {} "
        + "({}); reading resumes at offset {}", consumerId, lost, from, to - 1, reader.path(),
        position, problem, to);
    nextOffset = to;
  }

  @Override
  public boolean canRewind() {
    return true;
  }

  /** The one partition (0) reads again from {@code offset}: the next poll reopens the file there. */
  @Override
  public synchronized void rewind(int partition, long offset) {
    if (partition != 0) throw new IllegalArgumentException("the embedded log has partition 0 only, not " + partition);
    moveTo(Math.max(0, offset));
  }

  private void moveTo(long offset) {
    closeReaderQuietly();
    nextOffset = offset;
  }

  /** Opens the segment holding {@code offset}; the read loop skips the records before it. */
  private void openAt(long offset) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Segment containing = log.segmentContaining(offset);
      if (containing == null) {
        throw new IOException("no segment holds offset " + offset);
      }
      try {
        open(containing);
        return;
      } catch (NoSuchFileException deleted) {
        if (attempt > 2) {
          throw deleted;
        }
        nextOffset = Math.max(nextOffset, log.startOffset());
        offset = nextOffset;
      }
    }
  }

  private void open(Segment next) throws IOException {
    closeReaderQuietly();
    reader = new RecordReader(log.channels(), next.path, 0);
    segment = next;
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
  public LogLosses losses() {
    return log.losses(consumerId);
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
