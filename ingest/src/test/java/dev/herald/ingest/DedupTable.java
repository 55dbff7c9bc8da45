package dev.herald.ingest;

import java.util.Arrays;

/**
 * The table of {@link TableDeduplicator} (test sources, see there why).
 *
 * <p>The fingerprints deduplication remembers, each tagged with the number of the generation (the
 * dedup bucket: an eighth of the window or of the bound) that accepted it, all in one
 * open-addressed table: a fresh id costs one probe, usually one cache line, however many
 * generations the window holds.
 *
 * <p>The table is split by hash into segments, each an array of 64-byte lines: seven
 * fingerprints and one word of their one-byte tags (0 empty, 1 to {@link #NUMBERS} a generation,
 * {@link #RELEASED} a released id), probed line after line; a lookup ends at the first line with
 * an empty slot. Closing a generation is O(1): its entries go dead where they are, lookups pass
 * over them and inserts reuse them. A segment is rebuilt (dead entries dropped, sized for its live
 * ones) when live and dead together pass {@link #MAX_OCCUPIED} of it; the segments are as many
 * as put {@link #SEGMENT_IDS} ids in each at the bound, so a rebuild holds the lock for well under
 * a millisecond. A number is given to a new generation only once no dead entry carries it any
 * more.
 *
 * <p>Memory: 64 bytes per seven slots; at the bound a segment is {@link #SEGMENT_LINES} lines,
 * about 55 % live (16.8 bytes per id at the default two million).
 */
final class DedupTable {

  /** Generations live at once, at most; tags 1 to 254. */
  static final int NUMBERS = 254;
  private static final int RELEASED = 255;
  private static final int SLOTS = 7;
  private static final double MAX_OCCUPIED = 0.8;
  private static final double MAX_LIVE = 0.6;
  /** Lines per segment at the bound: what one rebuild rewrites stays L2-sized. */
  private static final int SEGMENT_LINES = 1 << 13;
  /** Ids per segment at the bound: below {@link #MAX_LIVE}, so the segment stays that size. */
  private static final int SEGMENT_IDS = (int) (SEGMENT_LINES * SLOTS * 0.55);
  private static final int MAX_SEGMENTS = 4096;
  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGHS = 0x8080_8080_8080_8080L;
  private static final long TAG_BYTES = 0x00FF_FFFF_FFFF_FFFFL;

  private static final class Segment {
    /** Eight longs per line: seven fingerprints, then their tags, one byte each. */
    long[] lines;
    int lineMask;
    /** Slots not empty: live, dead and released. */
    int occupied;
    int maxOccupied;
  }

  private final Segment[] segments;
  private final boolean[] live = new boolean[256];
  /** Live entries per generation number. */
  private final int[] count = new int[256];
  /** Slots carrying each tag, live or dead. */
  private final int[] present = new int[256];
  private int size;
  private long slots;
  private int lastNumber;
  /** Fingerprint and tag of each live entry of the segment being rebuilt. */
  private long[] scratch = new long[64];

  /** A table that holds up to {@code maxIds} in segments of about {@link #SEGMENT_IDS} ids. */
  DedupTable(int maxIds) {
    int count = (int) Math.min(MAX_SEGMENTS, Math.max(1, ((long) maxIds + SEGMENT_IDS - 1) / SEGMENT_IDS));
    segments = new Segment[count];
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Segment();
      allocate(segments[i], 1);
    }
  }

  /** Live entries. */
  int size() {
    return size;
  }

  /** Live entries of generation {@code number}. */
  int count(int number) {
    return count[number];
  }

  /** Bytes held by the table's arrays. */
  long footprintBytes() {
    return slots / SLOTS * 64 + scratch.length * 8L;
  }

  /**
   * Starts a generation: returns its number, or 0 when {@link #NUMBERS} generations are live
   * (close one first).
   */
  int open() {
    int number = freeNumber();
    if (number == 0) {
      // Every free number is still carried by dead entries: drop them all.
      purge();
      number = freeNumber();
    }
    if (number != 0) {
      live[number] = true;
      lastNumber = number;
    }
    return number;
  }

  /** Ends a generation: its entries are forgotten; returns how many were live. */
  int close(int number) {
    live[number] = false;
    int closed = count[number];
    count[number] = 0;
    size -= closed;
    if (size < slots / 16 && slots > 4L * segments.length * SLOTS) {
      // Mostly dead (traffic fell): give the memory back now rather than at the next inserts.
      // Afterwards the table is at least a fifth live or near its least size: no purge again.
      purge();
    }
    return closed;
  }

  /**
   * Reads each fingerprint's home line: in a loop this short the reads' cache misses overlap,
   * so the lookups that follow mostly find their lines in the cache.
   */
  long touch(long[] fingerprints) {
    long sum = 0;
    for (long fingerprint : fingerprints) {
      long mixed = mix(fingerprint);
      Segment segment = segments[segmentOf(mixed)];
      sum += segment.lines[(homeLine(mixed, segment) << 3) + SLOTS];
    }
    return sum;
  }

  /** Whether a live generation holds the fingerprint. */
  boolean contains(long fingerprint) {
    long mixed = mix(fingerprint);
    Segment segment = segments[segmentOf(mixed)];
    long[] table = segment.lines;
    int mask = segment.lineMask;
    for (int line = homeLine(mixed, segment); ; line = (line + 1) & mask) {
      int base = line << 3;
      long tags = table[base + SLOTS];
      for (int j = 0; j < SLOTS; j++) {
        if (table[base + j] == fingerprint && live[(int) (tags >>> (j << 3)) & 0xFF]) {
          return true;
        }
      }
      if (hasEmpty(tags)) {
        return false;
      }
    }
  }

  /**
   * Adds the fingerprint to the live generation {@code number} unless a live generation holds it
   * (false then): one probe, which remembers the first free slot on its way.
   */
  boolean addIfAbsent(long fingerprint, int number) {
    long mixed = mix(fingerprint);
    Segment segment = segments[segmentOf(mixed)];
    if (segment.occupied >= segment.maxOccupied) {
      rebuild(segment);
    }
    long[] table = segment.lines;
    int mask = segment.lineMask;
    int freeBase = -1;
    int freeSlot = 0;
    int freeTag = 0;
    for (int line = homeLine(mixed, segment); ; line = (line + 1) & mask) {
      int base = line << 3;
      long tags = table[base + SLOTS];
      for (int j = 0; j < SLOTS; j++) {
        int tag = (int) (tags >>> (j << 3)) & 0xFF;
        if (live[tag]) {
          if (table[base + j] == fingerprint) {
            return false;
          }
        } else if (freeBase < 0 || (freeBase == base && freeTag == 0 && tag != 0)) {
          // The first line with a free slot, a dead one there rather than an empty one, as add does.
          freeBase = base;
          freeSlot = j;
          freeTag = tag;
        }
      }
      if (hasEmpty(tags)) {
        break;
      }
    }
    if (freeTag == 0) {
      segment.occupied++;
    } else {
      present[freeTag]--;
    }
    put(table, freeBase, freeSlot, fingerprint, number);
    return true;
  }

  /** Adds a fingerprint no live generation holds to the live generation {@code number}. */
  void add(long fingerprint, int number) {
    long mixed = mix(fingerprint);
    Segment segment = segments[segmentOf(mixed)];
    if (segment.occupied >= segment.maxOccupied) {
      rebuild(segment);
    }
    long[] table = segment.lines;
    int mask = segment.lineMask;
    for (int line = homeLine(mixed, segment); ; line = (line + 1) & mask) {
      int base = line << 3;
      long tags = table[base + SLOTS];
      int empty = -1;
      for (int j = 0; j < SLOTS; j++) {
        int tag = (int) (tags >>> (j << 3)) & 0xFF;
        if (tag == 0) {
          if (empty < 0) {
            empty = j;
          }
        } else if (!live[tag]) {
          // A dead slot first: reusing it keeps the segment from filling up.
          present[tag]--;
          put(table, base, j, fingerprint, number);
          return;
        }
      }
      if (empty >= 0) {
        segment.occupied++;
        put(table, base, empty, fingerprint, number);
        return;
      }
    }
  }

  /** Forgets a live fingerprint (a released claim); false when no live generation holds it. */
  boolean remove(long fingerprint) {
    long mixed = mix(fingerprint);
    Segment segment = segments[segmentOf(mixed)];
    long[] table = segment.lines;
    int mask = segment.lineMask;
    for (int line = homeLine(mixed, segment); ; line = (line + 1) & mask) {
      int base = line << 3;
      long tags = table[base + SLOTS];
      for (int j = 0; j < SLOTS; j++) {
        int tag = (int) (tags >>> (j << 3)) & 0xFF;
        if (table[base + j] == fingerprint && live[tag]) {
          // Not emptied: a lookup must still pass this slot to reach the lines after it.
          count[tag]--;
          present[tag]--;
          size--;
          present[RELEASED]++;
          table[base + SLOTS] = retag(tags, j, RELEASED);
          return true;
        }
      }
      if (hasEmpty(tags)) {
        return false;
      }
    }
  }

  private void put(long[] table, int base, int slot, long fingerprint, int number) {
    table[base + slot] = fingerprint;
    table[base + SLOTS] = retag(table[base + SLOTS], slot, number);
    present[number]++;
    count[number]++;
    size++;
  }

  private static long retag(long tags, int slot, int tag) {
    int shift = slot << 3;
    return tags & ~(0xFFL << shift) | (long) tag << shift;
  }

  /** Whether one of the seven tags is 0. */
  private static boolean hasEmpty(long tags) {
    long bytes = tags | ~TAG_BYTES;
    return ((bytes - ONES) & ~bytes & HIGHS) != 0;
  }

  private static long mix(long fingerprint) {
    return fingerprint * 0x9E3779B97F4A7C15L;
  }

  /** From the low half of the mix (so any number of segments), the line from the high half. */
  private int segmentOf(long mixed) {
    return (int) (((mixed & 0xFFFF_FFFFL) * segments.length) >>> 32);
  }

  private static int homeLine(long mixed, Segment segment) {
    return (int) (mixed >>> 32) & segment.lineMask;
  }

  /** The next number after the last one given that neither a live nor a dead entry carries; 0 if none. */
  private int freeNumber() {
    for (int i = 0; i < NUMBERS; i++) {
      int number = (lastNumber + i) % NUMBERS + 1;
      if (!live[number] && present[number] == 0) {
        return number;
      }
    }
    return 0;
  }

  private void purge() {
    for (Segment segment : segments) {
      rebuild(segment);
    }
    // Sized for the largest segment before; regrown by the next rebuild that needs it.
    scratch = new long[64];
  }

  /** Drops the segment's dead and released entries and sizes it for its live ones. */
  private void rebuild(Segment segment) {
    long[] table = segment.lines;
    if (scratch.length < 2 * segment.occupied) {
      scratch = new long[2 * segment.occupied];
    }
    int kept = 0;
    for (int base = 0; base < table.length; base += 8) {
      long tags = table[base + SLOTS];
      for (int j = 0; j < SLOTS; j++) {
        int tag = (int) (tags >>> (j << 3)) & 0xFF;
        if (tag == 0) {
          continue;
        }
        if (live[tag]) {
          scratch[2 * kept] = table[base + j];
          scratch[2 * kept + 1] = tag;
          kept++;
        } else {
          present[tag]--;
        }
      }
    }
    int lines = 1;
    while (kept + 1 > lines * SLOTS * MAX_LIVE) {
      lines <<= 1;
    }
    if (lines == segment.lineMask + 1) {
      Arrays.fill(table, 0);
    } else {
      slots -= (long) (segment.lineMask + 1) * SLOTS;
      allocate(segment, lines);
    }
    segment.occupied = kept;
    for (int i = 0; i < kept; i++) {
      place(segment, scratch[2 * i], (int) scratch[2 * i + 1]);
    }
  }

  private void allocate(Segment segment, int lines) {
    segment.lines = new long[lines << 3];
    segment.lineMask = lines - 1;
    segment.maxOccupied = (int) (lines * SLOTS * MAX_OCCUPIED);
    slots += (long) lines * SLOTS;
  }

  /** Into the first empty slot: a rebuilt segment has no dead ones. */
  private static void place(Segment segment, long fingerprint, int tag) {
    long[] table = segment.lines;
    int mask = segment.lineMask;
    for (int line = homeLine(mix(fingerprint), segment); ; line = (line + 1) & mask) {
      int base = line << 3;
      long tags = table[base + SLOTS];
      for (int j = 0; j < SLOTS; j++) {
        if ((tags >>> (j << 3) & 0xFF) == 0) {
          table[base + j] = fingerprint;
          table[base + SLOTS] = retag(tags, j, tag);
          return;
        }
      }
    }
  }
}
