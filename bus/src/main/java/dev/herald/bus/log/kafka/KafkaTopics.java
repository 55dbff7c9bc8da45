package dev.herald.bus.log.kafka;

import dev.herald.bus.log.LogUnavailableException;
import io.vertx.core.Future;
import io.vertx.kafka.admin.Config;
import io.vertx.kafka.admin.ConfigEntry;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.ConfigResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a topic Herald needs exists with the settings Herald relies on: creates it when it is
 * absent (and allowed), and refuses one that exists with another partition count, replication
 * factor or a compacting cleanup policy (compaction would drop events that share a key). A topic
 * Herald creates gets {@code min.insync.replicas} so that {@code acks=all} means more than the
 * leader alone wherever there are replicas to wait for.
 */
final class KafkaTopics {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * What Herald needs of one topic.
   *
   * @param minInsyncReplicas for a topic Herald creates; -1: min(2, replication factor)
   */
  record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs,
      boolean create, String partitionsSetting, int minInsyncReplicas) {}

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
    return factor.compose(rf -> {
      Map<String, String> configs = new HashMap<>(spec.configs());
      // Kafka's default of 1 lets acks=all acknowledge an event only the leader holds. Never more
      // than the replicas: no append could be acknowledged.
      int minIsr = spec.minInsyncReplicas() > 0 ? spec.minInsyncReplicas() : 2;
      configs.putIfAbsent("min.insync.replicas", Integer.toString(Math.max(1, Math.min(minIsr, rf))));
      return admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), rf).setConfig(configs)));
    });
  }

  /**
   * Logs one WARN line when {@code topic} can lose acknowledged events with a single broker: fewer
   * than two replicas, {@code min.insync.replicas} below two (acks=all may then mean one copy), or
   * unclean leader election (an out-of-date replica may become leader). Never fails.
   */
  static Future<Void> warnIfFragile(KafkaAdminClient admin, String topic) {
    ConfigResource resource = new ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    return admin.describeTopics(List.of(topic)).compose(topics -> admin.describeConfigs(List.of(resource))
        .map(configs -> {
          int replicas = topics.get(topic).getPartitions().stream()
              .mapToInt(p -> p.getReplicas().size()).min().orElse(0);
          List<String> reasons = new ArrayList<>();
          if (replicas < 2) {
            reasons.add("replication factor " + replicas);
          }
          String minIsr = value(configs.get(resource), "min.insync.replicas");
          if (minIsr != null && Integer.parseInt(minIsr.trim()) < 2) {
            reasons.add("min.insync.replicas " + minIsr);
          }
          if ("true".equalsIgnoreCase(value(configs.get(resource), "unclean.leader.election.enable"))) {
            reasons.add("unclean.leader.election.enable=true");
          }
          if (!reasons.isEmpty()) {
            LOG.warn("Kafka topic '{}' can lose acknowledged events when a broker is lost: {}; keeping them "
                + "needs replication factor >= 3, min.insync.replicas >= 2 and unclean.leader.election.enable=false",
                topic, String.join(", ", reasons));
          }
          return (Void) null;
        }))
        .recover(e -> {
          LOG.warn("Could not check whether Kafka topic '{}' keeps acknowledged events through a broker loss: {}",
              topic, describe(e));
          return Future.succeededFuture();
        });
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
