package dev.herald.bus.log.kafka;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Rewinds a subscriber asked for, applied by the consumer thread (the only one that may seek).
 * Until it has applied them all, the buffer may hold entries read before a rewind, so polls
 * return nothing meanwhile.
 */
final class RewindQueue {

  private final ConcurrentLinkedQueue<Map.Entry<Integer, Long>> requested = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  void request(int partition, long offset) {
    pending.incrementAndGet();
    requested.add(Map.entry(partition, Math.max(0, offset)));
  }

  boolean pending() {
    return pending.get() > 0;
  }

  /** Drops the rewound partitions' buffered entries and seeks them; whether there were any. */
  boolean apply(KafkaConsumer<String, byte[]> consumer, String topic, ReadAheadBuffer buffer) {
    Map.Entry<Integer, Long> rewind;
    boolean any = false;
    while ((rewind = requested.poll()) != null) {
      TopicPartition tp = new TopicPartition(topic, rewind.getKey());
      buffer.drop(Set.of(rewind.getKey()));
      // A partition no longer assigned has nothing to rewind: its next owner starts at the commit.
      if (consumer.assignment().contains(tp)) consumer.seek(tp, rewind.getValue());
      pending.decrementAndGet();
      any = true;
    }
    return any;
  }
}
