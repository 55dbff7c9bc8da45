package dev.herald.ingest;

import dev.herald.destination.api.Event;
import dev.herald.ingest.ItemOutcome.Accepted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the fingerprints of messageIds accepted per source and topic for the dedup window,
 * in buckets that each span at most an eighth of the window and hold at most an eighth of
 * {@code maxEntries} (an id is remembered for at least the window and at most an eighth longer).
 * At most {@code maxEntries} fingerprints are held: past that the oldest bucket goes early, which
 * can only let an old duplicate through, never refuse a new event.
 *
 * <p>An id is <em>claimed</em> before its append and <em>confirmed</em> once the append is
 * durable, or released if it fails. A request that meets an id another request has claimed
 * but not settled waits for that request's outcome, then looks again: so a duplicate is only
 * ever acknowledged once its first copy is durable. Shared by every ingest instance; the lock
 * is held for a few hash operations per event.
 */
final class Deduplicator {

  private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);
  private static final long WARN_INTERVAL_MILLIS = 60_000;

  private final long windowMillis;
  private final long bucketMillis;
  private final int maxEntries;
  private final Clock clock;
  private volatile DedupJournal journal;
  /** Oldest first; each covers the time from its start to the next one's start. */
  private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
  private final int bucketEntries;
  /** Claimed ids not yet settled, to the ticket that claimed each. */
  private final LongMap<Ticket> pending = new LongMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private int size;
  private long lastEvictionWarning = Long.MIN_VALUE;

  Deduplicator(Duration window, int maxEntries, Clock clock) {
    this.windowMillis = window.toMillis();
    this.bucketMillis = Math.max(1, windowMillis / 8);
    this.maxEntries = maxEntries;
    this.bucketEntries = Math.max(1, maxEntries / 8);
    this.clock = clock;
  }

  /** From now on, confirmed ids are also written to {@code target} (restored ones are not). */
  void persistTo(DedupJournal target) {
    this.journal = target;
  }

  /** The events of one request split into those to append and how many were duplicates. */
  record Admission(List<Accepted> fresh, int duplicates, Ticket ticket) {}

  /** The ids one request claimed; settled exactly once by {@link #confirm} or {@link #release}. */
  static final class Ticket {
    private final Promise<Void> settled = Promise.promise();
    private final LongList claimed;
    private long claimedAt;

    private Ticket(int capacity) {
      claimed = new LongList(capacity);
    }
  }

  /**
   * Splits the request's events into fresh ones (now claimed by the returned ticket) and
   * duplicates; completes on {@code context}.
   */
  Future<Admission> admit(List<Accepted> events, Context context) {
    Ticket ticket = new Ticket(events.size());
    List<Accepted> fresh = new ArrayList<>(events.size());
    List<Future<Void>> waits = null;
    int duplicateCount = 0;
    long now = clock.millis();
    synchronized (this) {
      expire(now);
      ticket.claimedAt = now;
      for (Accepted accepted : events) {
        Event event = accepted.event();
        long fingerprint = Fingerprint.of(event.sourceId(), event.topic(), event.messageId());
        Ticket holder = pending.get(fingerprint);
        if (holder == ticket || (holder == null && contains(fingerprint))) {
          duplicateCount++;
        } else if (holder != null) {
          if (waits == null) {
            waits = new ArrayList<>();
          }
          waits.add(holder.settled.future());
        } else {
          insert(fingerprint, now);
          pending.put(fingerprint, ticket);
          ticket.claimed.add(fingerprint);
          fresh.add(accepted);
        }
      }
      if (waits != null) {
        // Undo this pass: the request retries as a whole once the other requests settle.
        releaseLocked(ticket);
      } else {
        enforceCap(now);
      }
    }
    if (waits == null) {
      duplicates.addAndGet(duplicateCount);
      return Future.succeededFuture(new Admission(fresh, duplicateCount, ticket));
    }
    ticket.settled.tryComplete();
    Promise<Admission> retried = Promise.promise();
    Future.join(waits).onComplete(settled ->
        context.runOnContext(v -> admit(events, context).onComplete(retried)));
    return retried.future();
  }

  /** The ticket's events are durable: they count as seen from now on. */
  void confirm(Ticket ticket) {
    LongList claimed = ticket.claimed;
    synchronized (this) {
      for (int i = 0; i < claimed.size(); i++) {
        pending.remove(claimed.get(i), ticket);
      }
    }
    DedupJournal target = journal;
    if (target != null && !claimed.isEmpty()) {
      target.record(claimed, ticket.claimedAt);
    }
    ticket.settled.tryComplete();
  }

  /** The ticket's append failed: its events were never accepted, so a retry must pass. */
  void release(Ticket ticket) {
    synchronized (this) {
      releaseLocked(ticket);
    }
    ticket.settled.tryComplete();
  }

  /** Restores an id accepted at {@code acceptedAtMillis} (from the persisted state). */
  synchronized void restore(long fingerprint, long acceptedAtMillis) {
    long now = clock.millis();
    if (acceptedAtMillis <= now - windowMillis || contains(fingerprint)) {
      return;
    }
    insert(fingerprint, Math.min(acceptedAtMillis, now));
  }

  /** Applies the memory bound after a restore. */
  synchronized void enforceCap() {
    enforceCap(clock.millis());
  }

  synchronized int size() {
    return size;
  }

  /** Bytes held by the buckets' sets. */
  synchronized long footprintBytes() {
    long bytes = 0;
    for (Bucket bucket : buckets) {
      bytes += bucket.ids.footprintBytes();
    }
    return bytes;
  }

  /** Events acknowledged as duplicates so far. */
  long duplicates() {
    return duplicates.get();
  }

  /** Ids forgotten before their window ended because of the memory bound. */
  long evicted() {
    return evicted.get();
  }

  /** Ids accepted from {@code startMillis} until the next bucket starts. */
  private static final class Bucket {
    final long startMillis;
    final LongHashSet ids = new LongHashSet();
    long lastInsertMillis;

    Bucket(long startMillis) {
      this.startMillis = startMillis;
      this.lastInsertMillis = startMillis;
    }
  }

  private void releaseLocked(Ticket ticket) {
    LongList claimed = ticket.claimed;
    for (int i = 0; i < claimed.size(); i++) {
      long fingerprint = claimed.get(i);
      if (pending.remove(fingerprint, ticket)) {
        for (Bucket bucket : buckets) {
          if (bucket.ids.remove(fingerprint)) {
            size--;
            break;
          }
        }
      }
    }
    ticket.claimed.clear();
  }

  private boolean contains(long fingerprint) {
    for (Bucket bucket : buckets) {
      if (bucket.ids.contains(fingerprint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Into the newest bucket, or a new one when the newest spans an eighth of the window or holds
   * an eighth of the bound: so the bound never forgets more than an eighth at a time, and no set
   * grows so large that rehashing it holds the lock for long.
   */
  private void insert(long fingerprint, long atMillis) {
    Bucket newest = buckets.peekLast();
    if (newest == null || atMillis >= newest.startMillis + bucketMillis || newest.ids.size() >= bucketEntries) {
      newest = new Bucket(Math.max(atMillis, newest == null ? atMillis : newest.startMillis));
      buckets.addLast(newest);
    }
    if (newest.ids.add(fingerprint)) {
      size++;
    }
    newest.lastInsertMillis = Math.max(newest.lastInsertMillis, atMillis);
  }

  /** Drops the buckets whose every id is older than the window. */
  private void expire(long now) {
    while (buckets.size() > 1) {
      Iterator<Bucket> oldestFirst = buckets.iterator();
      oldestFirst.next();
      // The oldest bucket's ids are all older than the next bucket's start.
      if (oldestFirst.next().startMillis > now - windowMillis) {
        return;
      }
      size -= buckets.pollFirst().ids.size();
    }
    Bucket only = buckets.peekFirst();
    if (only != null && only.lastInsertMillis <= now - windowMillis) {
      size -= buckets.pollFirst().ids.size();
    }
  }

  private void enforceCap(long now) {
    while (size > maxEntries && !buckets.isEmpty()) {
      LongHashSet dropped = buckets.pollFirst().ids;
      size -= dropped.size();
      evicted.addAndGet(dropped.size());
      if (now - lastEvictionWarning >= WARN_INTERVAL_MILLIS || lastEvictionWarning == Long.MIN_VALUE) {
        lastEvictionWarning = now;
        LOG.warn("Deduplication holds more than dedupMaxEntries ({}) ids: the oldest are forgotten before "
            + "the dedup window ends ({} so far); raise dedupMaxEntries or shorten dedupWindow", maxEntries,
            evicted.get());
      }
    }
  }
}
