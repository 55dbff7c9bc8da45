package dev.herald.bus.log.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.ConsumerGroupListing;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations' cursors kept by Kafka: the committed offsets of the {@code herald.dest.<id>}
 * groups on the events topic, changed through the admin client while no member reads them. Only
 * this topic's offsets are touched: another Herald may share the cluster.
 */
final class KafkaCursors {

  // Logged as the event log, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);

  private final KafkaAdminClient admin;
  private final String topic;
  private final int partitions;

  KafkaCursors(KafkaAdminClient admin, String topic, int partitions) {
    this.admin = admin;
    this.topic = topic;
    this.partitions = partitions;
  }

  /** Drops the offsets of every group whose consumer id is not in {@code keep}; the ids dropped. */
  Future<Set<String>> retain(Set<String> keep) {
    return admin.listConsumerGroups().compose(groups -> {
      List<Future<String>> drops = new ArrayList<>();
      for (ConsumerGroupListing listing : groups) {
        String group = listing.getGroupId();
        if (group.startsWith(KafkaLogOptions.GROUP_PREFIX)
            && !keep.contains(group.substring(KafkaLogOptions.GROUP_PREFIX.length()))) {
          drops.add(dropOffsets(group));
        }
      }
      return Future.join(drops).map(all -> {
        Set<String> dropped = new TreeSet<>();
        for (Future<String> drop : drops) {
          if (drop.result() != null) {
            dropped.add(drop.result());
          }
        }
        return dropped;
      });
    });
  }

  /** Commits the topic's end offsets for the consumer's group unless it has offsets on the topic. */
  Future<Boolean> startAtEnd(String consumerId) {
    String group = KafkaLogOptions.GROUP_PREFIX + consumerId;
    return admin.listConsumerGroupOffsets(group).compose(committed -> {
      if (committed.keySet().stream().anyMatch(tp -> tp.getTopic().equals(topic))) {
        return Future.succeededFuture(false);
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.LATEST);
      }
      return admin.listOffsets(latest).compose(ends -> {
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        ends.forEach((tp, end) -> start.put(tp, new OffsetAndMetadata(end.getOffset(), "")));
        return admin.alterConsumerGroupOffsets(group, start).map(true);
      });
    });
  }

  /** The consumer id whose offsets on this topic were deleted, or null (none, or not possible). */
  private Future<String> dropOffsets(String group) {
    String consumerId = group.substring(KafkaLogOptions.GROUP_PREFIX.length());
    return admin.listConsumerGroupOffsets(group).compose(offsets -> {
      Set<TopicPartition> ours = new HashSet<>();
      offsets.keySet().stream().filter(tp -> tp.getTopic().equals(topic)).forEach(ours::add);
      if (ours.isEmpty()) {
        return Future.<String>succeededFuture(null);
      }
      return admin.deleteConsumerGroupOffsets(group, ours).map(v -> {
        LOG.warn("Dropped the offsets of consumer group {} on {}: no configured destination has the "
            + "id {}; a destination added later under that id starts at the topic's start", group,
            topic, consumerId);
        return consumerId;
      });
    }).recover(e -> {
      LOG.warn("Could not drop the offsets of consumer group {} on {} (destination {} is no longer "
          + "configured): {}", group, topic, consumerId, e.toString());
      return Future.succeededFuture(null);
    });
  }
}
