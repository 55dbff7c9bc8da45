package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.ReplayMark;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay of dead letters: selects the entries (skipping those a replay delivered before,
 * unless forced, and those another replay is sending), then sends them through the destination's
 * runner in chunks, one chunk at a time and no faster than the rate, and marks each entry with its
 * new outcome durably before counting it. A crash between a send and its mark sends that entry
 * again on the next replay (with the same messageId, which destinations that dedup drop).
 */
final class ReplayJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayJob.class);
  private static final int FETCH = 1000;
  private static final int MAX_CHUNK = 500;

  private final Vertx vertx;
  private final String replayId;
  private final String destination;
  private final ReplayRequest request;
  private final DeadLetterStore store;
  private final DestinationRunner runner;
  /** Ids any replay of this destination is sending (shared, guarded by itself). */
  private final Set<Long> claimed;
  private final BooleanSupplier runnerGone;
  private final Set<Long> toSend = new HashSet<>();
  private final ArrayDeque<DeadLetter> buffer = new ArrayDeque<>();
  private final Instant startedAt = Instant.now();
  private long fetchedTo;
  private boolean fetchedAll;
  private long startNanos;
  private long sent;
  private volatile String state = "running";
  private volatile String error;
  private volatile Instant finishedAt;
  private volatile long selected;
  private volatile long skipped;
  private volatile long delivered;
  private volatile long failed;
  private volatile long filtered;

  ReplayJob(Vertx vertx, String replayId, String destination, ReplayRequest request, DeadLetterStore store,
      DestinationRunner runner, Set<Long> claimed, BooleanSupplier runnerGone) {
    this.vertx = vertx;
    this.replayId = replayId;
    this.destination = destination;
    this.request = request;
    this.store = store;
    this.runner = runner;
    this.claimed = claimed;
    this.runnerGone = runnerGone;
  }

  ReplayProgress progress() {
    long replayed = delivered + failed + filtered;
    return new ReplayProgress(replayId, destination, state, request.dryRun(), request.force(), request.ratePerSecond(),
        selected, skipped, toSendSize(), replayed, delivered, failed, filtered,
        error, startedAt, finishedAt);
  }

  private synchronized long toSendSize() {
    return toSend.size();
  }

  /** Selects the entries (and claims them unless dry); completes with the counts. */
  Future<ReplayProgress> select() {
    return selectFrom(0).map(v -> {
      if (request.dryRun()) {
        finish("done", null);
      } else {
        synchronized (claimed) {
          claimed.addAll(toSend);
        }
      }
      return progress();
    });
  }

  private Future<Void> selectFrom(long afterId) {
    DeadLetterQuery page = request.filter().withOffset(0).withLimit(FETCH).withAfterId(afterId);
    return store.list(page).compose(letters -> {
      synchronized (this) {
        for (DeadLetter letter : letters) {
          if (request.max() > 0 && toSend.size() >= request.max()) return Future.succeededFuture();
          selected++;
          boolean done = !request.force() && DeadLetterQuery.State.of(letter) == DeadLetterQuery.State.REPLAYED;
          boolean busy;
          synchronized (claimed) {
            busy = claimed.contains(letter.id());
          }
          if (done || busy) {
            skipped++;
          } else {
            toSend.add(letter.id());
          }
        }
      }
      if (letters.size() < FETCH) return Future.succeededFuture();
      return selectFrom(letters.get(letters.size() - 1).id());
    });
  }

  /** Sends what {@link #select()} chose; runs on its own until done. */
  void start() {
    startNanos = System.nanoTime();
    LOG.info("replay {} of {}: sending {} dead letters at up to {}/s", replayId, destination, toSendSize(),
        request.ratePerSecond());
    nextChunk();
  }

  private void nextChunk() {
    if (runnerGone.getAsBoolean()) {
      finish("failed", "the destination stopped");
      return;
    }
    nextLetters(Math.max(1, Math.min(request.ratePerSecond(), MAX_CHUNK))).onComplete(ar -> {
      if (ar.failed()) {
        finish("failed", "reading the dead letters failed: " + ar.cause().getMessage());
        return;
      }
      List<DeadLetter> chunk = ar.result();
      if (chunk.isEmpty()) {
        finish("done", null);
        return;
      }
      // The rate bound: this chunk may not start before every earlier event's share of a second passed.
      long dueNanos = startNanos + sent * 1_000_000_000L / request.ratePerSecond();
      long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
      if (waitMs > 0) {
        vertx.setTimer(waitMs, t -> send(chunk));
      } else {
        send(chunk);
      }
    });
  }

  private void send(List<DeadLetter> chunk) {
    sent += chunk.size();
    List<Event> events = new ArrayList<>(chunk.size());
    chunk.forEach(letter -> events.add(letter.toEvent()));
    runner.replay(events).compose(outcomes -> {
      List<ReplayMark> marks = new ArrayList<>(chunk.size());
      Instant now = Instant.now();
      for (int i = 0; i < chunk.size(); i++) {
        ReplayOutcome o = outcomes.get(i);
        String outcome = switch (o.kind()) {
          case DELIVERED -> ReplayMark.DELIVERED;
          case FAILED -> ReplayMark.FAILED;
          case FILTERED -> ReplayMark.FILTERED;
        };
        marks.add(new ReplayMark(chunk.get(i).id(), replayId, outcome, o.reason(), o.status(), now));
      }
      return store.markReplayed(marks).map(v -> outcomes);
    }).onComplete(ar -> {
      release(chunk);
      if (ar.failed()) {
        finish("failed", "recording the replay's outcomes failed: " + ar.cause().getMessage());
        return;
      }
      for (ReplayOutcome o : ar.result()) {
        switch (o.kind()) {
          case DELIVERED -> delivered++;
          case FAILED -> failed++;
          case FILTERED -> filtered++;
        }
      }
      nextChunk();
    });
  }

  /** The next {@code n} selected entries, oldest first, read from the store a page at a time. */
  private Future<List<DeadLetter>> nextLetters(int n) {
    if (buffer.size() >= n || fetchedAll) {
      List<DeadLetter> chunk = new ArrayList<>(n);
      while (chunk.size() < n && !buffer.isEmpty()) chunk.add(buffer.poll());
      return Future.succeededFuture(chunk);
    }
    DeadLetterQuery page = request.filter().withOffset(0).withLimit(FETCH).withAfterId(fetchedTo).withState(null);
    return store.list(page).compose(letters -> {
      synchronized (this) {
        for (DeadLetter letter : letters) {
          if (toSend.contains(letter.id())) buffer.add(letter);
        }
      }
      if (letters.size() < FETCH) fetchedAll = true;
      if (!letters.isEmpty()) fetchedTo = letters.get(letters.size() - 1).id();
      return nextLetters(n);
    });
  }

  private void release(List<DeadLetter> chunk) {
    synchronized (claimed) {
      chunk.forEach(letter -> claimed.remove(letter.id()));
    }
  }

  private void finish(String end, String why) {
    if (!"running".equals(state)) return;
    error = why;
    finishedAt = Instant.now();
    state = end;
    if (!request.dryRun()) {
      synchronized (claimed) {
        claimed.removeAll(toSend);
      }
      LOG.info("replay {} of {} {}: {} delivered, {} failed again, {} left out by the transform{}", replayId,
          destination, end, delivered, failed, filtered, why == null ? "" : " (" + why + ")");
    }
  }
}
