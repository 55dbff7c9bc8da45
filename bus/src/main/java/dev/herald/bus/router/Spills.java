package dev.herald.bus.router;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Events of throttled keys left in the log rather than held in memory once the hold budget is full,
 * so that one user a destination keeps throttling never stops the other users.
 *
 * <p>How it stays correct on both logs: such an event is read (so it stays unsettled and the
 * cursor cannot pass it) but only its offset is kept, in its key's queue of spilled offsets; while
 * a key has spilled offsets, every later event of it read for the first time is spilled too, so the
 * key's order holds. When the key may take events again (its hold ended, or the budget has room),
 * the runner rewinds the key's partition ({@link LogSubscription#rewind}: the embedded log reopens
 * its file there, Kafka seeks) to the earliest offset still needed and reads forward again. On that
 * second pass an event is taken only if it is its key's next spilled offset; everything else below
 * the partition's high-water mark was handled on the first pass and is skipped (never read into the
 * settlement again, so nothing is settled twice nor re-opened). Memory is one long per spilled
 * event, not the event. A crash loses nothing: spilled events are unsettled, so the next start
 * re-reads them from the committed cursor. Used on the runner's event loop only.
 */
final class Spills {

  /** What to do with an entry the log returned. */
  enum Verdict { TAKE, SPILL, SKIP }

  /** A key's spilled offsets, oldest first: a ring of longs. */
  private static final class Offsets {
    long[] ring = new long[16];
    int head;
    int size;

    void add(long offset) {
      if (size == ring.length) {
        long[] bigger = new long[ring.length * 2];
        for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) % ring.length];
        ring = bigger;
        head = 0;
      }
      ring[(head + size++) % ring.length] = offset;
    }

    long first() {
      return ring[head];
    }

    void removeFirst() {
      head = (head + 1) % ring.length;
      size--;
    }
  }

  private record Key(int partition, String key) {}

  private final Map<Key, Offsets> spilled = new HashMap<>();
  /** Per partition, the offset after the highest ever read: below it, a read is a second pass. */
  private final PartitionOffsets highWater = new PartitionOffsets();
  /** Per partition, the offset the next entry will have (after a rewind: where it rewound to). */
  private final PartitionOffsets readPosition = new PartitionOffsets();
  /** Partitions rewound whose first entry since has not come yet: where they were rewound to. */
  private final PartitionOffsets rewoundTo = new PartitionOffsets();
  /** Settles offsets that are gone from the log (retention, damage) before their second read. */
  private final java.util.function.BiConsumer<Integer, Long> gone;

  /** @param gone settles a spilled offset the log no longer holds (the log counts and logs the loss) */
  Spills(java.util.function.BiConsumer<Integer, Long> gone) {
    this.gone = gone;
  }
  private long count;

  boolean isEmpty() {
    return spilled.isEmpty();
  }

  /** Offsets spilled and not read again yet (tests, status). */
  long count() {
    return count;
  }

  /**
   * Decides on an entry before anything else looks at it. {@code blocked}: the key is held and
   * the hold budget is full (its events may not come into memory now).
   */
  Verdict verdict(LogEntry entry, boolean blocked) {
    int partition = entry.partition();
    long offset = entry.offset();
    readPosition.put(partition, offset + 1);
    long rewound = rewoundTo.remove(partition, -1L);
    if (rewound >= 0 && offset > rewound) dropGone(partition, rewound, offset);
    long high = highWater.get(partition, -1L);
    boolean firstRead = offset >= high;
    if (firstRead) highWater.put(partition, offset + 1);
    if (spilled.isEmpty()) return firstRead ? Verdict.TAKE : Verdict.SKIP;
    Key key = new Key(partition, entry.event().partitionKey());
    Offsets offsets = spilled.get(key);
    if (offsets == null) return firstRead ? Verdict.TAKE : Verdict.SKIP;
    if (firstRead) {
      spill(key, offsets, offset); // behind the key's spilled ones
      return Verdict.SPILL;
    }
    if (offset != offsets.first()) return Verdict.SKIP; // handled on an earlier pass
    if (blocked) return Verdict.SPILL; // still spilled: stays in its queue
    offsets.removeFirst();
    count--;
    if (offsets.size == 0) spilled.remove(key);
    return Verdict.TAKE;
  }

  /** Leaves a first-read event of a blocked key in the log. */
  void spill(LogEntry entry) {
    Key key = new Key(entry.partition(), entry.event().partitionKey());
    spill(key, spilled.computeIfAbsent(key, k -> new Offsets()), entry.offset());
  }

  private void spill(Key key, Offsets offsets, long offset) {
    offsets.add(offset);
    count++;
  }

  /**
   * Rewinds every partition where a key that may take events again ({@code blocked} false) has
   * spilled offsets the reading has passed. Returns whether it rewound (then a poll is due).
   */
  boolean rewindDue(LogSubscription subscription, java.util.function.Predicate<String> blocked) {
    Map<Integer, Long> targets = new HashMap<>();
    for (Map.Entry<Key, Offsets> e : spilled.entrySet()) {
      if (blocked.test(e.getKey().key())) continue;
      targets.merge(e.getKey().partition(), e.getValue().first(), Math::min);
    }
    boolean rewound = false;
    for (Map.Entry<Integer, Long> target : targets.entrySet()) {
      long position = readPosition.get(target.getKey(), Long.MAX_VALUE);
      if (target.getValue() >= position) continue; // the reading will get there
      subscription.rewind(target.getKey(), target.getValue());
      readPosition.put(target.getKey(), target.getValue());
      rewoundTo.put(target.getKey(), target.getValue());
      rewound = true;
    }
    return rewound;
  }

  /**
   * The first entry after a rewind to {@code from} has offset {@code to}: the log returns a
   * partition in offset order, so spilled offsets in between are gone (retention deleted them, or
   * they were in a damaged record). Settles them, or the key and the cursor would wait for ever.
   */
  private void dropGone(int partition, long from, long to) {
    for (Iterator<Map.Entry<Key, Offsets>> it = spilled.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Offsets> e = it.next();
      if (e.getKey().partition() != partition) continue;
      Offsets offsets = e.getValue();
      while (offsets.size > 0 && offsets.first() >= from && offsets.first() < to) {
        gone.accept(partition, offsets.first());
        offsets.removeFirst();
        count--;
      }
      if (offsets.size == 0) it.remove();
    }
  }

  /** Forgets partitions given to another consumer (it reads them from the committed cursor). */
  void forget(Set<Integer> partitions) {
    for (Iterator<Map.Entry<Key, Offsets>> it = spilled.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Offsets> e = it.next();
      if (partitions.contains(e.getKey().partition())) {
        count -= e.getValue().size;
        it.remove();
      }
    }
    highWater.removeAll(partitions);
    rewoundTo.removeAll(partitions);
    readPosition.removeAll(partitions);
  }
}
