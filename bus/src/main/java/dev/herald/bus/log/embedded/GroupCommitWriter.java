package dev.herald.bus.log.embedded;

import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded log's only writer: a dedicated thread that takes every append queued since its
 * last round ({@link AppendQueue}), writes them with one buffer and forces the file once for the
 * whole group ({@link SegmentAppender}, where segments also roll over), and then completes each
 * append on the context that made it. A group that fails is undone and refused as a whole.
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

  private final AppendQueue queue;
  private final SegmentAppender appender;
  private final Listener listener;
  private final Thread thread;
  private final Promise<Void> stopped = Promise.promise();

  /** Why every later append is refused; set once the files can no longer be trusted. */
  private volatile LogUnavailableException failure;
  private volatile long appendCount;

  // writer thread only: the list the queue fills next round, swapped with the one being written
  private ArrayList<PendingAppend> group = new ArrayList<>();

  GroupCommitWriter(Path segmentsDir, NavigableMap<Long, Segment> segments, long nextOffset,
      EmbeddedLogOptions options, long maxPendingBytes, Listener listener) throws IOException {
    this.queue = new AppendQueue(maxPendingBytes);
    this.appender = new SegmentAppender(segmentsDir, segments, nextOffset, options);
    this.listener = listener;
    this.thread = new Thread(this::run, "herald-log-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long fsyncCount() {
    return appender.fsyncCount();
  }

  long appendCount() {
    return appendCount;
  }

  /** Queues an append; its future completes on {@code context} once the group is durable. */
  Future<Void> submit(List<Event> events, Context context) {
    return queue.submit(events, context, failure);
  }

  /** Stops taking appends, writes and forces the queued ones, closes the file, ends the thread. */
  Future<Void> close() {
    queue.close();
    return stopped.future();
  }

  private void run() {
    try {
      boolean stop = false;
      while (!stop) {
        AppendQueue.Round round =
            queue.take(group, appender.unforced(), appender.forceDueNanos());
        group = round.appends();
        stop = round.last();
        if (!group.isEmpty()) {
          writeGroup();
        } else if (appender.unforced()) {
          forceInterval();
        }
      }
      if (appender.unforced()) {
        appender.force();
      }
      appender.close();
      stopped.complete();
    } catch (Throwable t) {
      LOG.error("The event log writer stopped", t);
      failure = new LogUnavailableException("the event log writer stopped: " + t, t);
      queue.closeAndFail(failure);
      PendingAppend.failAll(group, failure);
      group.clear();
      stopped.tryFail(t);
    }
  }

  private void writeGroup() {
    long groupBytes = 0;
    for (PendingAppend append : group) {
      groupBytes += append.bytes();
    }
    if (failure != null) {
      finishGroup(groupBytes, failure);
      return;
    }
    SegmentAppender.GroupStart start = appender.startGroup();
    try {
      for (PendingAppend append : group) {
        for (Event event : append.events()) {
          appender.append(event);
        }
      }
      appender.flushAndSync();
    } catch (IOException | RuntimeException e) {
      LogUnavailableException error = new LogUnavailableException(
          "cannot write to the event log: " + (e.getMessage() == null ? e : e.getMessage()), e);
      LOG.error("Writing {} appends to {} failed; they are refused", group.size(),
          appender.activeSegment(), e);
      rollBack(start);
      finishGroup(groupBytes, error);
      return;
    }
    appendCount += group.size();
    listener.durable(appender.end());
    finishGroup(groupBytes, null);
    if (appender.rolledInGroup()) {
      listener.rolled();
    }
  }

  private void forceInterval() {
    try {
      appender.force();
    } catch (IOException e) {
      // INTERVAL already acknowledged these appends; only a restart's recovery can judge them now
      failure = new LogUnavailableException("the event log cannot fsync: " + e.getMessage(), e);
      LOG.error("Interval fsync of {} failed; the log refuses appends until restarted",
          appender.activeSegment(), e);
    }
  }

  /** Undoes the failed group so the log stays usable; if even that fails it refuses all appends. */
  private void rollBack(SegmentAppender.GroupStart start) {
    try {
      appender.rollBack(start);
    } catch (IOException | RuntimeException e) {
      failure = new LogUnavailableException(
          "the event log could not undo a failed write and refuses appends until restarted", e);
      LOG.error("Undoing a failed write to {} failed; the log refuses appends until restarted",
          start.segment(), e);
    }
  }

  private void finishGroup(long groupBytes, Throwable error) {
    queue.release(groupBytes);
    PendingAppend.completeAll(group, error);
    group.clear();
  }

  /** Test hook: closes the active file underneath the writer, as a failing disk would. */
  void closeActiveChannelForTest() throws IOException {
    appender.closeActiveChannelForTest();
  }
}
