package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * Commits a subscriber requested, performed by the consumer thread (the Kafka consumer is
 * single-threaded), each request told its outcome. Requests met by a rebalance under way wait for
 * the consumer's next turn, once the rebalance completed.
 */
final class CommitQueue {

  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  private record Request(Map<Integer, Long> offsets, Consumer<Throwable> done) {}

  private final String consumerId;
  private final String topic;
  private final ConcurrentLinkedQueue<Request> requested = new ConcurrentLinkedQueue<>();
  /** Consumer thread only: requests to retry once a rebalance under way completes. */
  private final List<Request> deferred = new ArrayList<>();

  CommitQueue(String consumerId, String topic) {
    this.consumerId = consumerId;
    this.topic = topic;
  }

  /** {@code done} is called on the consumer thread with null, or why the commit failed. */
  void request(Map<Integer, Long> offsets, Consumer<Throwable> done) {
    requested.add(new Request(Map.copyOf(offsets), done));
  }

  /** Performs the commits requested so far, for the partitions {@code consumer} still owns. */
  void run(KafkaConsumer<String, byte[]> consumer) {
    if (requested.isEmpty() && deferred.isEmpty()) {
      return;
    }
    List<Request> batch = new ArrayList<>(deferred);
    deferred.clear();
    Request request;
    while ((request = requested.poll()) != null) {
      batch.add(request);
    }
    Map<Integer, Long> latest = new HashMap<>();
    for (Request each : batch) {
      latest.putAll(each.offsets()); // requests only move forward: the last one wins
    }
    Set<TopicPartition> owned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    latest.forEach((partition, offset) -> {
      TopicPartition tp = new TopicPartition(topic, partition);
      if (owned.contains(tp)) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    Throwable failure = null;
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
      } catch (RebalanceInProgressException e) {
        deferred.addAll(batch); // the next poll completes the rebalance; then they go again
        return;
      } catch (InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        failure = new LogUnavailableException("Kafka commit of " + latest + " for " + consumerId
            + " failed: " + KafkaTopics.describe(e), e);
      }
    }
    for (Request done : batch) {
      done.done().accept(failure);
    }
  }

  /** Fails every request not performed: the subscription closed before it could be. */
  void failAll(Throwable cause) {
    Request left;
    while ((left = requested.poll()) != null) {
      deferred.add(left);
    }
    for (Request unfinished : deferred) {
      unfinished.done().accept(cause);
    }
    deferred.clear();
  }
}
