package dev.herald.bus.log.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the Kafka log ({@code log.kafka:} in herald.yaml).
 *
 * @param bootstrapServers {@code host:port[,host:port…]} of the cluster
 * @param topic the events topic (default {@code herald.events})
 * @param partitions its partition count: the most nodes that can share one destination's work
 * @param replicationFactor replicas of the topics Herald creates; -1 takes the broker's default
 * @param createTopics whether Herald creates its topics when they are absent
 * @param compression the producer's {@code compression.type}: lz4, zstd, gzip, snappy or none
 * @param lingerMs how long the producer waits to fill a batch
 * @param batchBytes the producer's {@code batch.size}, per partition
 * @param appendTimeout an append not acknowledged by Kafka within this time fails (ingest answers 503)
 * @param sessionTimeout how long a silent node keeps its partitions before the group moves them
 * @param clientProperties extra Kafka client settings (security, client.rack, …) given to every
 *     client Herald creates; they cannot weaken acks, idempotence or manual commits
 * @param minInsyncReplicas {@code min.insync.replicas} of the topics Herald creates: how many
 *     replicas must hold an event before {@code acks=all} acknowledges it; -1 takes
 *     min(2, replication factor)
 * @param maxPendingBytes payload bytes of appends handed to Kafka and not yet acknowledged; an
 *     append that would exceed it is refused (ingest answers 503) instead of queueing in memory
 * @param maxInFlight the producer's {@code max.in.flight.requests.per.connection}, 1 to 5 (the
 *     most idempotence allows); 1 by default, see {@link #DEFAULT_MAX_IN_FLIGHT}
 * @param bufferMemory the producer's {@code buffer.memory}; -1 takes {@link #bufferMemoryBytes()}'s
 *     default. It must hold {@code maxPendingBytes}, so that an append is refused with a 503
 *     before the producer would block for want of memory
 */
public record KafkaLogOptions(String bootstrapServers, String topic, int partitions,
    short replicationFactor, boolean createTopics, String compression, int lingerMs, int batchBytes,
    Duration appendTimeout, Duration sessionTimeout, Map<String, String> clientProperties,
    int minInsyncReplicas, long maxPendingBytes, int maxInFlight, long bufferMemory) {

  public static final long DEFAULT_MAX_PENDING_BYTES = 32L * 1024 * 1024;
  /**
   * One produce request in flight per broker: with more, a first batch to a partition that fails
   * with a retriable error (NOT_LEADER_OR_FOLLOWER on a new topic or at a leader change) while the
   * next one is written leaves the idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER until
   * the append times out (KAFKA-14359, KAFKA-15591: brokers before the fix accept any first
   * sequence). Up to 5 is allowed for throughput on clusters whose brokers have the fix.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1;
  /** The least {@code buffer.memory} Herald gives the producer (Kafka's default is 32 MB). */
  public static final long MIN_DEFAULT_BUFFER_MEMORY = 64L * 1024 * 1024;

  public static final String DEFAULT_TOPIC = "herald.events";
  /** Each destination reads in its own consumer group {@code herald.dest.<id>}. */
  public static final String GROUP_PREFIX = "herald.dest.";
  /** Each destination's dead letters go to the topic {@code herald.dlq.<id>}. */
  public static final String DEAD_LETTER_TOPIC_PREFIX = "herald.dlq.";

  static final Set<String> COMPRESSIONS = Set.of("lz4", "zstd", "gzip", "snappy", "none");
  /** Client settings Herald's guarantees rest on: never taken from clientProperties. */
  static final Set<String> FIXED_PROPERTIES = Set.of("acks", "enable.idempotence",
      "enable.auto.commit", "key.serializer", "value.serializer", "key.deserializer",
      "value.deserializer", "group.id", "auto.offset.reset", "isolation.level");

  public KafkaLogOptions {
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
  }

  /** The settings without the producer's request and memory tuning: those take their defaults. */
  public KafkaLogOptions(String bootstrapServers, String topic, int partitions, short replicationFactor,
      boolean createTopics, String compression, int lingerMs, int batchBytes, Duration appendTimeout,
      Duration sessionTimeout, Map<String, String> clientProperties, int minInsyncReplicas,
      long maxPendingBytes) {
    this(bootstrapServers, topic, partitions, replicationFactor, createTopics, compression, lingerMs,
        batchBytes, appendTimeout, sessionTimeout, clientProperties, minInsyncReplicas, maxPendingBytes,
        DEFAULT_MAX_IN_FLIGHT, -1);
  }

  /** The settings without the durability and memory bounds: those take their defaults. */
  public KafkaLogOptions(String bootstrapServers, String topic, int partitions, short replicationFactor,
      boolean createTopics, String compression, int lingerMs, int batchBytes, Duration appendTimeout,
      Duration sessionTimeout, Map<String, String> clientProperties) {
    this(bootstrapServers, topic, partitions, replicationFactor, createTopics, compression, lingerMs,
        batchBytes, appendTimeout, sessionTimeout, clientProperties, -1, DEFAULT_MAX_PENDING_BYTES);
  }

  /** The defaults for a cluster at {@code bootstrapServers}. */
  public static KafkaLogOptions defaults(String bootstrapServers) {
    return new KafkaLogOptions(bootstrapServers, DEFAULT_TOPIC, 12, (short) -1, true, "lz4", 5,
        256 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(10), Map.of());
  }

  public KafkaLogOptions withTopic(String newTopic) {
    return new KafkaLogOptions(bootstrapServers, newTopic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withPartitions(int newPartitions) {
    return new KafkaLogOptions(bootstrapServers, topic, newPartitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withCreateTopics(boolean create) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor, create,
        compression, lingerMs, batchBytes, appendTimeout, sessionTimeout, clientProperties,
        minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withCompression(String newCompression) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, newCompression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withAppendTimeout(Duration timeout) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, timeout, sessionTimeout, clientProperties,
        minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withSessionTimeout(Duration timeout) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, timeout, clientProperties,
        minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withMinInsyncReplicas(int replicas) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, replicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withMaxPendingBytes(long bytes) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, bytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withLinger(int newLingerMs, int newBatchBytes) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, newLingerMs, newBatchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bufferMemory);
  }

  public KafkaLogOptions withMaxInFlight(int requests) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, requests, bufferMemory);
  }

  public KafkaLogOptions withBufferMemory(long bytes) {
    return new KafkaLogOptions(bootstrapServers, topic, partitions, replicationFactor,
        createTopics, compression, lingerMs, batchBytes, appendTimeout, sessionTimeout,
        clientProperties, minInsyncReplicas, maxPendingBytes, maxInFlight, bytes);
  }

  /** The producer's {@code buffer.memory}: as set, else twice {@code maxPendingBytes}, at least 64 MB. */
  public long bufferMemoryBytes() {
    return bufferMemory > 0 ? bufferMemory : Math.max(MIN_DEFAULT_BUFFER_MEMORY, 2 * maxPendingBytes);
  }

  /**
   * The producer settings Herald's log uses with these options (serializers included), for tools
   * that compare Herald with a plain producer under the same settings. They include {@code
   * clientProperties}, whose values may be credentials: never log them.
   */
  public Map<String, Object> producerProperties() {
    return Map.copyOf(KafkaClients.producer(this));
  }

  /** The {@code min.insync.replicas} for a topic of {@code replicas} replicas. */
  int minInsyncReplicasFor(int replicas) {
    return minInsyncReplicas > 0 ? minInsyncReplicas : Math.max(1, Math.min(2, replicas));
  }

  /** A setting that cannot work: the {@code log.kafka.*} key and what is wrong with it. */
  public record Problem(String key, String message) {
    @Override
    public String toString() {
      return "log.kafka." + key + " " + message;
    }
  }

  /** Every problem with these settings; empty when fine. */
  public List<Problem> check() {
    List<Problem> problems = new ArrayList<>();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      problems.add(new Problem("bootstrapServers", "is required (host:port[,host:port...])"));
    }
    if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
      problems.add(new Problem("topic", "must be 1-249 characters of [A-Za-z0-9._-], not '" + topic + "'"));
    }
    if (partitions < 1) {
      problems.add(new Problem("partitions", "must be >= 1, not " + partitions));
    }
    if (replicationFactor == 0 || replicationFactor < -1) {
      problems.add(new Problem("replicationFactor",
          "must be >= 1 (or -1 for up to three, as brokers allow), not " + replicationFactor));
    }
    if (compression == null || !COMPRESSIONS.contains(compression)) {
      problems.add(new Problem("compression",
          "must be one of lz4, zstd, gzip, snappy, none, not '" + compression + "'"));
    }
    if (lingerMs < 0) {
      problems.add(new Problem("lingerMs", "must be >= 0, not " + lingerMs));
    }
    if (batchBytes < 1024) {
      problems.add(new Problem("batchBytes", "must be at least 1KB, not " + batchBytes));
    }
    if (appendTimeout == null || appendTimeout.toMillis() < 1000 + lingerMs) {
      problems.add(new Problem("appendTimeout", "must be at least 1s (plus lingerMs), not " + appendTimeout));
    }
    if (sessionTimeout == null || sessionTimeout.toMillis() < 1000) {
      problems.add(new Problem("sessionTimeout", "must be at least 1s, not " + sessionTimeout));
    }
    if (minInsyncReplicas == 0 || minInsyncReplicas < -1) {
      problems.add(new Problem("minInsyncReplicas",
          "must be >= 1 (or -1 for min(2, replicationFactor)), not " + minInsyncReplicas));
    } else if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
      problems.add(new Problem("minInsyncReplicas", "must not exceed replicationFactor "
          + replicationFactor + " (no append could be acknowledged), not " + minInsyncReplicas));
    }
    if (maxPendingBytes < 1024) {
      problems.add(new Problem("maxPendingBytes", "must be at least 1KB, not " + maxPendingBytes));
    }
    if (maxInFlight < 1 || maxInFlight > 5) {
      problems.add(new Problem("maxInFlight",
          "must be 1 to 5 (idempotence allows at most 5 requests in flight), not " + maxInFlight));
    }
    if (bufferMemory != -1 && bufferMemory < Math.max(1024, maxPendingBytes)) {
      problems.add(new Problem("bufferMemory", "must be at least maxPendingBytes (" + maxPendingBytes
          + "), so that appends are refused before the producer blocks, not " + bufferMemory));
    }
    for (String key : clientProperties.keySet()) {
      if (FIXED_PROPERTIES.contains(key)) {
        problems.add(new Problem("clientProperties." + key, "is set by Herald and cannot be overridden"));
      }
    }
    return problems;
  }

  /** {@link #check()} as sentences naming their keys. */
  public List<String> problems() {
    return check().stream().map(Problem::toString).toList();
  }

  /** Client property values may hold credentials: only their keys are shown. */
  @Override
  public String toString() {
    return "KafkaLogOptions[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", partitions="
        + partitions + ", replicationFactor=" + replicationFactor + ", createTopics=" + createTopics
        + ", compression=" + compression + ", lingerMs=" + lingerMs + ", batchBytes=" + batchBytes
        + ", appendTimeout=" + appendTimeout + ", sessionTimeout=" + sessionTimeout
        + ", clientProperties=" + clientProperties.keySet() + ", minInsyncReplicas=" + minInsyncReplicas
        + ", maxPendingBytes=" + maxPendingBytes + ", maxInFlight=" + maxInFlight
        + ", bufferMemory=" + bufferMemory + "]";
  }
}
