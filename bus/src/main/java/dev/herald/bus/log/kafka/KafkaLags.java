package dev.herald.bus.log.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Group-wide lag of the open subscriptions: events in the topic each group has not committed.
 * Asked of the cluster, not counted locally, since other nodes of the group commit too.
 */
final class KafkaLags {

  private final KafkaAdminClient admin;
  private final String topic;
  private final int partitions;

  KafkaLags(KafkaAdminClient admin, String topic, int partitions) {
    this.admin = admin;
    this.topic = topic;
    this.partitions = partitions;
  }

  void refresh(Collection<KafkaSubscription> subscriptions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.LATEST);
      earliest.put(new TopicPartition(topic, p), OffsetSpec.EARLIEST);
    }
    Future.all(admin.listOffsets(latest), admin.listOffsets(earliest)).onSuccess(both -> {
      Map<TopicPartition, ListOffsetsResultInfo> ends = both.resultAt(0);
      Map<TopicPartition, ListOffsetsResultInfo> starts = both.resultAt(1);
      for (KafkaSubscription subscription : subscriptions) {
        admin.listConsumerGroupOffsets(KafkaLogOptions.GROUP_PREFIX + subscription.consumerId())
            .onSuccess(committed -> subscription.lag(lag(ends, starts, committed)));
      }
    });
  }

  private static long lag(Map<TopicPartition, ListOffsetsResultInfo> ends,
      Map<TopicPartition, ListOffsetsResultInfo> starts, Map<TopicPartition, OffsetAndMetadata> committed) {
    long lag = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
      OffsetAndMetadata mine = committed.get(end.getKey());
      ListOffsetsResultInfo start = starts.get(end.getKey());
      long from = Math.max(mine == null ? 0 : mine.getOffset(), start == null ? 0 : start.getOffset());
      lag += Math.max(0, end.getValue().getOffset() - from);
    }
    return lag;
  }
}
