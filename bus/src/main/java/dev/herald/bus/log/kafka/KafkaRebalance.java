package dev.herald.bus.log.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's part in its group's rebalances, run on the consumer thread inside {@code poll}
 * (or {@code close}). Partitions taken away are handed over only once their buffered entries are
 * dropped, the subscriber handled the revocation and what it committed is committed, so their
 * next owner resumes right after the last settled event. Partitions assigned are positioned by
 * {@link KafkaPositions} and start paused when the consumer is.
 */
final class KafkaRebalance implements ConsumerRebalanceListener {

  // Logged as the subscription, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);

  private final String consumerId;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaPositions positions;
  private final ReadAheadBuffer buffer;
  private final SubscriberRevocation revocation;
  private final CommitQueue commits;
  private final FetchPause pause;
  private final BooleanSupplier closing;

  KafkaRebalance(String consumerId, KafkaConsumer<String, byte[]> consumer, KafkaPositions positions,
      ReadAheadBuffer buffer, SubscriberRevocation revocation, CommitQueue commits, FetchPause pause,
      BooleanSupplier closing) {
    this.consumerId = consumerId;
    this.consumer = consumer;
    this.positions = positions;
    this.buffer = buffer;
    this.revocation = revocation;
    this.commits = commits;
    this.pause = pause;
    this.closing = closing;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    handOver(partitions, true);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    handOver(partitions, false); // no longer ours: nothing can be committed for them
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    LOG.info("destination {}: assigned partitions {}", consumerId, numbers(partitions));
    try {
      positions.assigned(consumer, partitions);
    } catch (KafkaException e) {
      // the poll loop's handlers position them instead
      LOG.warn("destination {}: could not look up committed offsets of {}: {}", consumerId,
          numbers(partitions), e.toString());
    }
    if (pause.applied()) {
      consumer.pause(partitions);
    }
  }

  private void handOver(Collection<TopicPartition> partitions, boolean stillOwned) {
    if (partitions.isEmpty()) {
      return;
    }
    Set<Integer> numbers = numbers(partitions);
    buffer.drop(numbers);
    if (!closing.getAsBoolean()) {
      revocation.runAndWait(numbers);
    }
    if (stillOwned) {
      commits.run(consumer);
    }
    LOG.info("destination {}: partitions {} {}", consumerId, numbers, stillOwned ? "revoked" : "lost");
  }

  private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
    Set<Integer> numbers = new HashSet<>();
    for (TopicPartition tp : partitions) {
      numbers.add(tp.partition());
    }
    return numbers;
  }
}
