package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries a subscription's consumer thread fetched and its subscriber has not polled yet.
 * Filled by the consumer thread, drained by {@link KafkaSubscription#poll} on the subscriber's
 * context; its size is bounded by {@link FetchPause}, which stops fetching while it is full.
 */
final class ReadAheadBuffer {

  // Logged as the subscription, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);

  /** How much the buffer holds, seen at one moment. */
  record Fill(int records, long bytes) {}

  private final String consumerId;
  private final Object lock = new Object();
  private final ArrayDeque<LogEntry> entries = new ArrayDeque<>();
  private long bytes;
  /** Consumer thread only. */
  private long foreignRecords;

  ReadAheadBuffer(String consumerId) {
    this.consumerId = consumerId;
  }

  /** Adds the records written by Herald, skipping (and counting) others; whether any were added. */
  boolean add(ConsumerRecords<String, byte[]> records) {
    List<LogEntry> added = new ArrayList<>(records.count());
    long addedBytes = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      Event event = KafkaRecords.toEvent(record);
      if (event == null) {
        if (foreignRecords++ % 1000 == 0) {
          LOG.warn("destination {}: skipping record {}-{}@{}: it lacks Herald's headers (written by another producer?); {} so far",
              consumerId, record.topic(), record.partition(), record.offset(), foreignRecords);
        }
        continue;
      }
      added.add(new LogEntry(record.partition(), record.offset(), event, record.value().length));
      addedBytes += record.value().length;
    }
    synchronized (lock) {
      entries.addAll(added);
      bytes += addedBytes;
    }
    return !added.isEmpty();
  }

  /** The oldest entries up to the limits (at least one, whatever its size); empty when none. */
  List<LogEntry> take(int maxRecords, long maxBytes) {
    synchronized (lock) {
      if (entries.isEmpty()) {
        return List.of();
      }
      List<LogEntry> taken = new ArrayList<>(Math.min(maxRecords, entries.size()));
      long takenBytes = 0;
      while (taken.size() < maxRecords && !entries.isEmpty()) {
        LogEntry next = entries.peekFirst();
        if (!taken.isEmpty() && takenBytes + next.sizeBytes() > maxBytes) {
          break;
        }
        taken.add(entries.pollFirst());
        takenBytes += next.sizeBytes();
      }
      bytes -= takenBytes;
      return taken;
    }
  }

  /** Forgets the entries of partitions rewound or handed over: they will be read again, or by another. */
  void drop(Set<Integer> partitions) {
    synchronized (lock) {
      for (Iterator<LogEntry> it = entries.iterator(); it.hasNext(); ) {
        LogEntry entry = it.next();
        if (partitions.contains(entry.partition())) {
          it.remove();
          bytes -= entry.sizeBytes();
        }
      }
    }
  }

  Fill fill() {
    synchronized (lock) {
      return new Fill(entries.size(), bytes);
    }
  }
}
