package dev.herald.bus.log.embedded;

import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded log's only writer: a dedicated thread that takes every append queued since its
 * last round, writes them with one buffer, forces the file once for the whole group, and then
 * completes each append on the context that made it. Segments roll over here.
 */
final class GroupCommitWriter {

  /** What the writer tells the log. Called on the writer thread; must not block. */
  interface Listener {
    /** Records below {@code end} are durable (or written, under INTERVAL). */
    void durable(DurableEnd end);

    /** A segment was closed and a new one started. */
    void rolled();
  }

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int BUFFER_BYTES = 2 * 1024 * 1024;

  private record PendingAppend(List<Event> events, Promise<Void> promise, Context context,
      long bytes) {}

  private final Path segmentsDir;
  private final NavigableMap<Long, Segment> segments;
  private final boolean fsyncAlways;
  private final long fsyncIntervalNanos;
  private final long segmentBytes;
  private final long maxPendingBytes;
  private final Listener listener;
  private final ChannelOpener channels;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Promise<Void> stopped = Promise.promise();
  // guarded by lock
  private ArrayList<PendingAppend> incoming = new ArrayList<>();
  private long pendingBytes;
  private boolean closing;

  private volatile LogUnavailableException failure;
  private volatile long fsyncCount;
  private volatile long appendCount;

  // writer thread only
  private ArrayList<PendingAppend> group = new ArrayList<>();
  private final ArrayList<Segment> createdInGroup = new ArrayList<>();
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  private Segment activeSegment;
  private FileChannel active;
  /** Bytes of the active segment, written plus still in the buffer. */
  private long activeBytes;
  private long nextOffset;
  private boolean unforced;
  private long lastForceNanos = System.nanoTime();

  GroupCommitWriter(Path segmentsDir, NavigableMap<Long, Segment> segments, long nextOffset,
      EmbeddedLogOptions options, long maxPendingBytes, Listener listener) throws IOException {
    this.segmentsDir = segmentsDir;
    this.segments = segments;
    this.fsyncAlways = options.fsync() == EmbeddedLogOptions.Fsync.ALWAYS;
    this.fsyncIntervalNanos = options.fsyncInterval() == null ? TimeUnit.SECONDS.toNanos(1)
        : Math.max(1, options.fsyncInterval().toNanos());
    this.segmentBytes = options.segmentBytes();
    this.maxPendingBytes = maxPendingBytes;
    this.listener = listener;
    this.channels = options.channels();
    this.nextOffset = nextOffset;
    this.activeSegment = segments.lastEntry().getValue();
    this.active = openForAppend(activeSegment.path);
    this.activeBytes = active.size();
    this.thread = new Thread(this::run, "herald-log-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long fsyncCount() {
    return fsyncCount;
  }

  long appendCount() {
    return appendCount;
  }

  /** Queues an append; its future completes on {@code context} once the group is durable. */
  Future<Void> submit(List<Event> events, Context context) {
    long bytes = 0;
    for (Event event : events) {
      int bound = RecordFormat.maxRecordBytes(event);
      if (bound - RecordFormat.HEADER_BYTES > RecordFormat.MAX_BODY_BYTES) {
        return Future.failedFuture(new IllegalArgumentException("event " + event.messageId()
            + " is too large for the log (" + bound + " bytes, at most "
            + RecordFormat.MAX_BODY_BYTES + ")"));
      }
      bytes += bound;
    }
    if (bytes > maxPendingBytes) {
      // Could never be queued: bad input, not a log that is behind.
      return Future.failedFuture(new IllegalArgumentException("the append is " + bytes
          + " bytes, over the log's bound of " + maxPendingBytes + " pending bytes"));
    }
    Promise<Void> promise = Promise.promise();
    lock.lock();
    try {
      if (closing) {
        return Future.failedFuture(new LogUnavailableException("the event log is closed"));
      }
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      if (pendingBytes + bytes > maxPendingBytes) {
        return Future.failedFuture(new LogUnavailableException("the event log is behind: "
            + pendingBytes + " bytes already wait to be written"));
      }
      pendingBytes += bytes;
      incoming.add(new PendingAppend(events, promise, context, bytes));
      if (incoming.size() == 1) {
        wake.signal();
      }
    } finally {
      lock.unlock();
    }
    return promise.future();
  }

  /** Stops taking appends, writes and forces the queued ones, closes the file, ends the thread. */
  Future<Void> close() {
    lock.lock();
    try {
      closing = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
    return stopped.future();
  }

  private void run() {
    try {
      boolean stop = false;
      while (!stop) {
        lock.lock();
        try {
          while (incoming.isEmpty() && !closing) {
            if (!unforced) {
              wake.awaitUninterruptibly();
            } else {
              long wait = lastForceNanos + fsyncIntervalNanos - System.nanoTime();
              if (wait <= 0) {
                break;
              }
              awaitNanos(wait);
            }
          }
          ArrayList<PendingAppend> taken = incoming;
          incoming = group;
          group = taken;
          stop = closing && group.isEmpty();
        } finally {
          lock.unlock();
        }
        if (!group.isEmpty()) {
          writeGroup();
        } else if (unforced) {
          forceInterval();
        }
      }
      if (unforced) {
        force();
      }
      active.close();
      stopped.complete();
    } catch (Throwable t) {
      LOG.error("The event log writer stopped", t);
      failure = new LogUnavailableException("the event log writer stopped: " + t, t);
      failQueued(failure);
      stopped.tryFail(t);
    }
  }

  private void awaitNanos(long nanos) {
    try {
      wake.awaitNanos(nanos);
    } catch (InterruptedException e) {
      // never interrupted on purpose: an interrupt would also close the file channel
      Thread.currentThread().interrupt();
    }
  }

  private void writeGroup() {
    long groupBytes = 0;
    for (PendingAppend append : group) {
      groupBytes += append.bytes;
    }
    if (failure != null) {
      finishGroup(groupBytes, failure);
      return;
    }
    Segment startSegment = activeSegment;
    long startBytes = activeBytes;
    long startOffset = nextOffset;
    createdInGroup.clear();
    try {
      for (PendingAppend append : group) {
        for (Event event : append.events) {
          appendRecord(event);
        }
      }
      flushBuffer();
      activeSegment.sizeBytes = activeBytes;
      if (fsyncAlways) {
        force();
      } else {
        unforced = true;
        if (System.nanoTime() - lastForceNanos >= fsyncIntervalNanos) {
          force();
        }
      }
    } catch (IOException | RuntimeException e) {
      LogUnavailableException error = new LogUnavailableException(
          "cannot write to the event log: " + (e.getMessage() == null ? e : e.getMessage()), e);
      LOG.error("Writing {} appends to {} failed; they are refused", group.size(), activeSegment, e);
      rollBack(startSegment, startBytes, startOffset);
      finishGroup(groupBytes, error);
      return;
    }
    appendCount += group.size();
    listener.durable(new DurableEnd(nextOffset, activeSegment.baseOffset, activeBytes));
    finishGroup(groupBytes, null);
    if (!createdInGroup.isEmpty()) {
      listener.rolled();
    }
  }

  private void appendRecord(Event event) throws IOException {
    int bound = RecordFormat.maxRecordBytes(event);
    if (buffer.remaining() < bound) {
      flushBuffer();
      if (buffer.capacity() < bound) {
        buffer = ByteBuffer.allocateDirect(bound);
      }
    }
    int start = buffer.position();
    int size = RecordFormat.encode(buffer, nextOffset, event, crc);
    if (activeBytes > 0 && activeBytes + size > segmentBytes) {
      int end = buffer.position();
      buffer.limit(start).position(0);
      writeFully();
      buffer.limit(end).position(start);
      buffer.compact();
      roll(nextOffset);
    }
    activeBytes += size;
    nextOffset++;
  }

  /** Closes the full segment (forced, so only the newest file can ever have a torn tail). */
  private void roll(long baseOffset) throws IOException {
    force();
    activeSegment.sizeBytes = activeBytes;
    Path path = segmentsDir.resolve(Segment.fileName(baseOffset));
    FileChannel next = channels.open(path, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.READ));
    FileChannel closed = active;
    active = next;
    activeSegment = new Segment(baseOffset, path, 0);
    activeBytes = 0;
    createdInGroup.add(activeSegment);
    closed.close();
    CursorStore.forceDirectory(segmentsDir);
    segments.put(baseOffset, activeSegment);
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    writeFully();
    buffer.clear();
  }

  private void writeFully() throws IOException {
    while (buffer.hasRemaining()) {
      active.write(buffer);
    }
  }

  private void force() throws IOException {
    active.force(false);
    fsyncCount++;
    unforced = false;
    lastForceNanos = System.nanoTime();
  }

  private void forceInterval() {
    try {
      force();
    } catch (IOException e) {
      // INTERVAL already acknowledged these appends; only a restart's recovery can judge them now
      failure = new LogUnavailableException("the event log cannot fsync: " + e.getMessage(), e);
      LOG.error("Interval fsync of {} failed; the log refuses appends until restarted",
          activeSegment, e);
    }
  }

  /**
   * Puts the files back as they were before the failed group, so the log stays usable (a full
   * disk may free up). If even that fails the log refuses every later append.
   */
  private void rollBack(Segment startSegment, long startBytes, long startOffset) {
    buffer.clear();
    try {
      active.close();
    } catch (IOException ignored) {
      // the channel may be what failed
    }
    try {
      for (Segment created : createdInGroup) {
        segments.remove(created.baseOffset);
        Files.deleteIfExists(created.path);
      }
      createdInGroup.clear();
      active = openForAppend(startSegment.path);
      active.truncate(startBytes);
      active.force(false);
      active.position(startBytes);
      activeSegment = startSegment;
      activeSegment.sizeBytes = startBytes;
      activeBytes = startBytes;
      nextOffset = startOffset;
    } catch (IOException | RuntimeException e) {
      failure = new LogUnavailableException(
          "the event log could not undo a failed write and refuses appends until restarted", e);
      LOG.error("Undoing a failed write to {} failed; the log refuses appends until restarted",
          startSegment, e);
    }
  }

  private FileChannel openForAppend(Path path) throws IOException {
    FileChannel channel = channels.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ));
    channel.position(channel.size());
    return channel;
  }

  /** Completes the group's appends, one task per run of appends from the same context. */
  private void finishGroup(long groupBytes, Throwable error) {
    lock.lock();
    try {
      pendingBytes -= groupBytes;
    } finally {
      lock.unlock();
    }
    int runStart = 0;
    for (int i = 1; i <= group.size(); i++) {
      if (i == group.size() || group.get(i).context != group.get(runStart).context) {
        completeRun(group.subList(runStart, i), error);
        runStart = i;
      }
    }
    group.clear();
  }

  private static void completeRun(List<PendingAppend> run, Throwable error) {
    Context context = run.get(0).context;
    if (run.size() == 1) {
      Promise<Void> promise = run.get(0).promise;
      context.runOnContext(v -> settle(promise, error));
      return;
    }
    Object[] promises = new Object[run.size()];
    for (int i = 0; i < promises.length; i++) {
      promises[i] = run.get(i).promise;
    }
    context.runOnContext(v -> {
      for (Object promise : promises) {
        @SuppressWarnings("unchecked")
        Promise<Void> p = (Promise<Void>) promise;
        settle(p, error);
      }
    });
  }

  private static void settle(Promise<Void> promise, Throwable error) {
    if (error == null) {
      promise.complete();
    } else {
      promise.fail(error);
    }
  }

  private void failQueued(LogUnavailableException error) {
    lock.lock();
    try {
      closing = true;
      for (PendingAppend append : incoming) {
        append.context.runOnContext(v -> append.promise.tryFail(error));
      }
      incoming.clear();
    } finally {
      lock.unlock();
    }
    for (PendingAppend append : group) {
      append.context.runOnContext(v -> append.promise.tryFail(error));
    }
    group.clear();
  }

  /** Test hook: closes the active file underneath the writer, as a failing disk would. */
  void closeActiveChannelForTest() throws IOException {
    active.close();
  }
}
