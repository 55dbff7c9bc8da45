package dev.herald.bus.log.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a destination's consumer starts in a partition, and what it lost when its committed offset
 * no longer lies in the log: below the log's start (retention deleted what it had not delivered)
 * or beyond its end (the topic was deleted and created again, or an out-of-date replica became
 * leader). Both are losses, logged with partition and offsets and counted; neither is a silent
 * seek. Beyond the end, reading starts again at the log's start: every event now in the log is
 * delivered (some maybe twice) rather than skipping events written since. Consumer thread only.
 */
final class KafkaPositions {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPositions.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaEventLog log;
  private final String consumerId;

  KafkaPositions(KafkaEventLog log, String consumerId) {
    this.log = log;
    this.consumerId = consumerId;
  }

  /** Positions newly assigned partitions at their committed offsets, or where those are gone. */
  void assigned(KafkaConsumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), METADATA_TIMEOUT);
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata mine = committed.get(tp);
      long start = starts.getOrDefault(tp, 0L);
      if (mine == null) {
        consumer.seek(tp, start); // a new destination reads the whole log
      } else {
        reposition(consumer, tp, mine.offset(), start, ends.getOrDefault(tp, start));
      }
    }
  }

  /** The fetch positions Kafka refused as out of range (auto.offset.reset is none). */
  void outOfRange(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> positions) {
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(positions.keySet(), METADATA_TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(positions.keySet(), METADATA_TIMEOUT);
    positions.forEach((tp, position) -> {
      long start = starts.getOrDefault(tp, 0L);
      reposition(consumer, tp, position, start, ends.getOrDefault(tp, position));
    });
  }

  private void reposition(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long offset, long start, long end) {
    if (offset < start) {
      log.recordLoss(consumerId, start - offset);
      LOG.warn("destination {}: retention deleted {} events of {} it had not committed; continuing at offset {}",
          consumerId, start - offset, tp, start);
      consumer.seek(tp, start);
    } else if (offset > end) {
      log.recordReset(consumerId, offset - end);
      LOG.warn("destination {}: its offset {} of {} lies beyond the log's end {} (topic deleted and created "
          + "again, or an unclean leader election): counted as {} lost; reading again from the log's start {}",
          consumerId, offset, tp, end, offset - end, start);
      consumer.seek(tp, start);
    }
  }
}
