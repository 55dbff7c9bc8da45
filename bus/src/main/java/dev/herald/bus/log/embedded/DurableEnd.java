package dev.herald.bus.log.embedded;

/**
 * How far the log is durable (fsynced under ALWAYS; written under INTERVAL): every record below
 * {@code offset}, which is also every byte of the segment {@code segmentBase} below
 * {@code position} and every byte of the segments before it. The writer publishes a new one only
 * after a group is durable; readers read no further, so bytes of a group whose write or fsync
 * then fails (and that the writer truncates and writes again) never reach a consumer.
 */
record DurableEnd(long offset, long segmentBase, long position) {

  /** The file position a reader of segment {@code base} must not read at or past. */
  long limitFor(long base) {
    if (base == segmentBase) {
      return position;
    }
    return base < segmentBase ? Long.MAX_VALUE : 0;
  }
}
