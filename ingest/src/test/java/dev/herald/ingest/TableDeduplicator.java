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
 * {@link Deduplicator} with every bucket's fingerprints in one generation-tagged table
 * ({@link DedupTable}) instead of a filtered set per bucket: a fresh id costs one probe instead of
 * one filter word per bucket. Same behaviour, differentially tested; kept in the test sources for
 * {@link DedupBenchmark} because, measured, it was not faster at the default two million ids (the
 * 34 MB table misses the caches where the buckets' filters and newest set do not).
 *
 * <p>Description as a replacement:
 * Remembers the fingerprints of messageIds accepted per source and topic for the dedup window,
 * in generations that each span at most an eighth of the window and hold at most an eighth of
 * {@code maxEntries} (an id is remembered for at least the window and at most an eighth longer).
 * At most {@code maxEntries} fingerprints are held: past that the oldest generation goes early,
 * which can only let an old duplicate through, never refuse a new event. All generations share
 * one {@link DedupTable}, each entry tagged with its generation: a lookup is one probe, and a
 * generation is dropped in O(1).
 *
 * <p>An id is <em>claimed</em> before its append and <em>confirmed</em> once the append is
 * durable, or released if it fails. A request that meets an id another request has claimed
 * but not settled waits for that request's outcome, then looks again: so a duplicate is only
 * ever acknowledged once its first copy is durable. Shared by every ingest instance; the lock
 * is held for a few hash operations per event.
 */
final class TableDeduplicator {

  private static final Logger LOG = LoggerFactory.getLogger(TableDeduplicator.class);
  private static final long WARN_INTERVAL_MILLIS = 60_000;

  private final long windowMillis;
  private final long bucketMillis;
  private final int maxEntries;
  private final Clock clock;
  private volatile DedupJournal journal;
  /** Oldest first; each covers the time from its start to the next one's start. */
  private final ArrayDeque<Generation> generations = new ArrayDeque<>();
  private final int bucketEntries;
  private final DedupTable table;
  /** Claimed ids not yet settled, to the ticket that claimed each. */
  private final LongMap<Ticket> pending = new LongMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private long lastEvictionWarning = Long.MIN_VALUE;
  /** Where {@link DedupTable#touch} leaves its sum, so that its reads are not optimized away. */
  private long touched;

  TableDeduplicator(Duration window, int maxEntries, Clock clock) {
    this.windowMillis = window.toMillis();
    this.bucketMillis = Math.max(1, windowMillis / 8);
    this.maxEntries = maxEntries;
    this.bucketEntries = Math.max(1, maxEntries / 8);
    this.table = new DedupTable(maxEntries);
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
    long[] fingerprints = new long[events.size()];
    for (int i = 0; i < fingerprints.length; i++) {
      Event event = events.get(i).event();
      fingerprints[i] = Fingerprint.of(event.sourceId(), event.topic(), event.messageId());
    }
    long now = clock.millis();
    synchronized (this) {
      expire(now);
      touched = table.touch(fingerprints);
      ticket.claimedAt = now;
      for (int i = 0; i < fingerprints.length; i++) {
        Accepted accepted = events.get(i);
        long fingerprint = fingerprints[i];
        Ticket holder = pending.get(fingerprint);
        if (holder == ticket) {
          duplicateCount++;
        } else if (holder != null) {
          if (waits == null) {
            waits = new ArrayList<>();
          }
          waits.add(holder.settled.future());
        } else if (insertIfAbsent(fingerprint, now)) {
          pending.put(fingerprint, ticket);
          ticket.claimed.add(fingerprint);
          fresh.add(accepted);
        } else {
          duplicateCount++;
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
    if (acceptedAtMillis > now - windowMillis) {
      insertIfAbsent(fingerprint, Math.min(acceptedAtMillis, now));
    }
  }

  /** Applies the memory bound after a restore. */
  synchronized void enforceCap() {
    enforceCap(clock.millis());
  }

  synchronized int size() {
    return table.size();
  }

  /** Bytes held by the table of fingerprints. */
  synchronized long footprintBytes() {
    return table.footprintBytes();
  }

  /** Events acknowledged as duplicates so far. */
  long duplicates() {
    return duplicates.get();
  }

  /** Ids forgotten before their window ended because of the memory bound. */
  long evicted() {
    return evicted.get();
  }

  /**
   * Ids accepted from {@code startMillis} until the next generation starts, tagged {@code number}
   * in the table (0 once an older generation is empty: it needs no number).
   */
  private static final class Generation {
    int number;
    final long startMillis;
    long lastInsertMillis;

    Generation(int number, long startMillis) {
      this.number = number;
      this.startMillis = startMillis;
      this.lastInsertMillis = startMillis;
    }
  }

  private void releaseLocked(Ticket ticket) {
    LongList claimed = ticket.claimed;
    for (int i = 0; i < claimed.size(); i++) {
      long fingerprint = claimed.get(i);
      if (pending.remove(fingerprint, ticket)) {
        // Gone already if its generation was dropped meanwhile.
        table.remove(fingerprint);
      }
    }
    ticket.claimed.clear();
  }

  /** Remembers the id unless it is remembered already (false then). */
  private boolean insertIfAbsent(long fingerprint, long atMillis) {
    Generation newest = generations.peekLast();
    if (newest != null && !needsNewGeneration(newest, atMillis)) {
      // The usual case: lookup and insert in one probe.
      if (!table.addIfAbsent(fingerprint, newest.number)) {
        return false;
      }
      newest.lastInsertMillis = Math.max(newest.lastInsertMillis, atMillis);
      return true;
    }
    if (table.contains(fingerprint)) {
      return false;
    }
    insert(fingerprint, atMillis);
    return true;
  }

  private boolean needsNewGeneration(Generation newest, long atMillis) {
    return atMillis >= newest.startMillis + bucketMillis || table.count(newest.number) >= bucketEntries;
  }

  /**
   * Into the newest generation, or a new one when the newest spans an eighth of the window or
   * holds an eighth of the bound: so the bound never forgets more than an eighth at a time.
   */
  private void insert(long fingerprint, long atMillis) {
    Generation newest = generations.peekLast();
    if (newest == null || needsNewGeneration(newest, atMillis)) {
      long start = Math.max(atMillis, newest == null ? atMillis : newest.startMillis);
      int number = table.open();
      if (number == 0) {
        // Generations emptied by released claims (failed appends) hold numbers they no longer need.
        for (Generation generation : generations) {
          if (generation.number != 0 && table.count(generation.number) == 0) {
            table.close(generation.number);
            generation.number = 0;
          }
        }
        number = table.open();
      }
      while (number == 0) {
        // DedupTable.NUMBERS generations hold ids: only after many failed appends that each
        // claimed most of a generation. Rather than widen every tag, the oldest goes early.
        evictOldest(clock.millis(), "Deduplication has " + DedupTable.NUMBERS + " generations of ids");
        number = table.open();
      }
      newest = new Generation(number, start);
      generations.addLast(newest);
    }
    table.add(fingerprint, newest.number);
    newest.lastInsertMillis = Math.max(newest.lastInsertMillis, atMillis);
  }

  /** Drops the generations whose every id is older than the window. */
  private void expire(long now) {
    while (generations.size() > 1) {
      Iterator<Generation> oldestFirst = generations.iterator();
      oldestFirst.next();
      // The oldest generation's ids are all older than the next one's start.
      if (oldestFirst.next().startMillis > now - windowMillis) {
        return;
      }
      drop(generations.pollFirst());
    }
    Generation only = generations.peekFirst();
    if (only != null && only.lastInsertMillis <= now - windowMillis) {
      drop(generations.pollFirst());
    }
  }

  /** Forgets the generation's ids; returns how many. */
  private int drop(Generation generation) {
    return generation.number == 0 ? 0 : table.close(generation.number);
  }

  private void enforceCap(long now) {
    while (table.size() > maxEntries && !generations.isEmpty()) {
      evictOldest(now, "Deduplication holds more than dedupMaxEntries (" + maxEntries + ") ids");
    }
  }

  private void evictOldest(long now, String reason) {
    evicted.addAndGet(drop(generations.pollFirst()));
    if (now - lastEvictionWarning >= WARN_INTERVAL_MILLIS || lastEvictionWarning == Long.MIN_VALUE) {
      lastEvictionWarning = now;
      LOG.warn("{}: the oldest are forgotten before the dedup window ends ({} so far); raise dedupMaxEntries "
          + "or shorten dedupWindow", reason, evicted.get());
    }
  }
}
