package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Future;
import io.vertx.kafka.admin.Config;
import io.vertx.kafka.admin.ConfigEntry;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.ConfigResource;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure a topic Herald needs exists with the settings Herald relies on: creates it when it is
 * absent (and allowed), and refuses one that exists with another partition count, replication
 * factor or a compacting cleanup policy (compaction would drop events that share a key).
 */
final class KafkaTopics {

  private KafkaTopics() {}

  /** What Herald needs of one topic. */
  record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs,
      boolean create, String partitionsSetting) {}

  static Future<Void> ensure(KafkaAdminClient admin, Spec spec, String bootstrapServers) {
    return admin.describeTopics(List.of(spec.name()))
        .transform(ar -> {
          if (ar.succeeded()) {
            return check(admin, spec, ar.result().get(spec.name()));
          }
          if (!is(ar.cause(), UnknownTopicOrPartitionException.class)) {
            return Future.failedFuture(unreachable(bootstrapServers, ar.cause()));
          }
          if (!spec.create()) {
            return Future.failedFuture(new IllegalStateException("Kafka topic '" + spec.name()
                + "' does not exist and log.kafka.createTopics is false: create it with "
                + spec.partitions() + " partitions (cleanup.policy=delete)"));
          }
          return create(admin, spec).recover(e -> is(e, TopicExistsException.class)
              ? ensure(admin, spec, bootstrapServers) // another node created it just now
              : Future.failedFuture(new IllegalStateException(
                  "cannot create Kafka topic '" + spec.name() + "': " + e.getMessage(), e)));
        });
  }

  private static Future<Void> create(KafkaAdminClient admin, Spec spec) {
    Future<Short> factor = spec.replicationFactor() > 0
        ? Future.succeededFuture(spec.replicationFactor())
        // Kafka's own default (default.replication.factor) is 1: up to three copies is safer.
        : admin.describeCluster().map(cluster -> (short) Math.min(3, cluster.getNodes().size()));
    return factor.compose(rf -> admin.createTopics(List.of(
        new NewTopic(spec.name(), spec.partitions(), rf).setConfig(spec.configs()))));
  }

  private static Future<Void> check(KafkaAdminClient admin, Spec spec, TopicDescription found) {
    int partitions = found.getPartitions().size();
    if (partitions != spec.partitions()) {
      return Future.failedFuture(new IllegalStateException("Kafka topic '" + spec.name()
          + "' exists with " + partitions + " partitions, but " + spec.partitionsSetting()
          + " is " + spec.partitions() + ": set it to " + partitions + " or use another topic"));
    }
    int replicas = found.getPartitions().get(0).getReplicas().size();
    if (spec.replicationFactor() > 0 && replicas != spec.replicationFactor()) {
      return Future.failedFuture(new IllegalStateException("Kafka topic '" + spec.name()
          + "' exists with replication factor " + replicas + ", but log.kafka.replicationFactor is "
          + spec.replicationFactor()));
    }
    ConfigResource resource =
        new ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, spec.name());
    return admin.describeConfigs(List.of(resource)).compose(configs -> {
      String policy = value(configs.get(resource), "cleanup.policy");
      if (policy != null && policy.contains("compact")) {
        return Future.failedFuture(new IllegalStateException("Kafka topic '" + spec.name()
            + "' has cleanup.policy=" + policy + ": compaction would drop events that share a key;"
            + " Herald needs cleanup.policy=delete"));
      }
      return Future.<Void>succeededFuture();
    });
  }

  private static String value(Config config, String name) {
    if (config == null) {
      return null;
    }
    for (ConfigEntry entry : config.getEntries()) {
      if (name.equals(entry.getName())) {
        return entry.getValue();
      }
    }
    return null;
  }

  static LogUnavailableException unreachable(String bootstrapServers, Throwable cause) {
    return new LogUnavailableException("cannot reach Kafka at " + bootstrapServers + ": "
        + describe(cause), cause);
  }

  static boolean is(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
