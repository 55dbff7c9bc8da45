package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogLosses;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events each consumer lost on this node, as {@link KafkaPositions} found them when
 * repositioning a partition: deleted by retention before delivery, or skipped because the
 * committed offset lay beyond the log's end. Kafka keeps no damaged records to skip.
 */
final class KafkaLosses {

  private final ConcurrentHashMap<String, AtomicLong> retention = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> reset = new ConcurrentHashMap<>();

  void recordRetention(String consumerId, long lost) {
    retention.computeIfAbsent(consumerId, c -> new AtomicLong()).addAndGet(lost);
  }

  void recordReset(String consumerId, long lost) {
    reset.computeIfAbsent(consumerId, c -> new AtomicLong()).addAndGet(lost);
  }

  Map<String, Long> retentionLosses() {
    Map<String, Long> copy = new TreeMap<>();
    retention.forEach((consumer, lost) -> copy.put(consumer, lost.get()));
    return copy;
  }

  LogLosses of(String consumerId) {
    AtomicLong retained = retention.get(consumerId);
    AtomicLong wasReset = reset.get(consumerId);
    return new LogLosses(retained == null ? 0 : retained.get(), 0, wasReset == null ? 0 : wasReset.get());
  }
}
