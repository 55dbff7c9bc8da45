package dev.herald.bus.log.embedded;

import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between appending contexts and the writer thread. It bounds the bytes waiting to
 * be written, so a log that falls behind refuses appends instead of buffering without limit, and
 * it is the only state both sides touch, so it alone holds the lock.
 */
final class AppendQueue {

  /** What one wait gave the writer; {@code last} once the queue is closed and nothing is left. */
  record Round(ArrayList<PendingAppend> appends, boolean last) {}

  private final long maxPendingBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  // guarded by lock
  private ArrayList<PendingAppend> incoming = new ArrayList<>();
  private long pendingBytes;
  private boolean closing;

  AppendQueue(long maxPendingBytes) {
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * Queues an append whose future completes once the writer is done with it, or fails it at once:
   * bad input (an event or append that could never fit) with {@link IllegalArgumentException},
   * a closed, failed ({@code failure}) or full queue with {@link LogUnavailableException}.
   */
  Future<Void> submit(List<Event> events, Context context, LogUnavailableException failure) {
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

  /**
   * Waits until appends are queued or the queue closes, or (when {@code timed}) until
   * {@code wakeAtNanos} passes, then hands over everything queued. {@code empty} becomes the next
   * queue, so the two lists swap roles each round instead of being allocated.
   */
  Round take(ArrayList<PendingAppend> empty, boolean timed, long wakeAtNanos) {
    lock.lock();
    try {
      while (incoming.isEmpty() && !closing) {
        if (!timed) {
          wake.awaitUninterruptibly();
        } else {
          long wait = wakeAtNanos - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          awaitNanos(wait);
        }
      }
      ArrayList<PendingAppend> taken = incoming;
      incoming = empty;
      // decided under the lock: once closing, no append can slip in after this round
      return new Round(taken, closing && taken.isEmpty());
    } finally {
      lock.unlock();
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

  /** The writer is done with appends of {@code bytes}: they no longer count against the bound. */
  void release(long bytes) {
    lock.lock();
    try {
      pendingBytes -= bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses later appends and lets the writer finish what is queued. */
  void close() {
    lock.lock();
    try {
      closing = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Refuses later appends and fails the queued ones: the writer is gone. */
  void closeAndFail(LogUnavailableException error) {
    lock.lock();
    try {
      closing = true;
      PendingAppend.failAll(incoming, error);
      incoming.clear();
    } finally {
      lock.unlock();
    }
  }
}
