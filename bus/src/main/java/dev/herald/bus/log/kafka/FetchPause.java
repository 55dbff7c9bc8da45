package dev.herald.bus.log.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Whether a subscription's consumer fetches: its partitions are paused while the subscriber asked
 * for it or while the read-ahead buffer is full, until it is half empty again (so that a buffer
 * near the mark does not pause and resume on every turn). Applied by the consumer thread only.
 */
final class FetchPause {

  private static final int HIGH_WATER_RECORDS = 10_000;
  private static final long HIGH_WATER_BYTES = 16L * 1024 * 1024;

  private volatile boolean bySubscriber;
  /** Consumer thread only. */
  private boolean forRoom;
  private volatile boolean applied;

  void bySubscriber(boolean paused) {
    bySubscriber = paused;
  }

  /** Whether the consumer's partitions are paused now. */
  boolean applied() {
    return applied;
  }

  /** Pauses or resumes the assigned partitions as the buffer and the subscriber need. */
  void apply(KafkaConsumer<String, byte[]> consumer, ReadAheadBuffer.Fill fill) {
    if (fill.records() >= HIGH_WATER_RECORDS || fill.bytes() >= HIGH_WATER_BYTES) {
      forRoom = true;
    } else if (fill.records() <= HIGH_WATER_RECORDS / 2 && fill.bytes() <= HIGH_WATER_BYTES / 2) {
      forRoom = false;
    }
    boolean pause = forRoom || bySubscriber;
    if (pause != applied) {
      if (pause) {
        consumer.pause(consumer.assignment());
      } else {
        consumer.resume(consumer.assignment());
      }
      applied = pause;
    }
  }

  /** A new consumer starts unpaused. */
  void reset() {
    applied = false;
    forRoom = false;
  }
}
