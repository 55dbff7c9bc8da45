package dev.herald.bus.log.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The client settings Herald's guarantees rest on, per kind of client. */
final class KafkaClients {

  /**
   * Kafka's default lets one consumer buffer 50 MB of fetched records; Herald's heap is sized small
   * (256 MB by default) and holds one consumer per destination, so each fetch is bounded tighter.
   */
  private static final int MAX_FETCH_BYTES = 8 * 1024 * 1024;

  private KafkaClients() {}

  /**
   * Idempotent, {@code acks=all}: an acknowledged record is on every in-sync replica exactly once
   * and in order per partition. An append that Kafka has not acknowledged within the append
   * timeout fails, so ingest answers 503 instead of waiting.
   */
  static Map<String, Object> producer(KafkaLogOptions options) {
    long appendTimeoutMs = options.appendTimeout().toMillis();
    Map<String, Object> props = common(options, "herald-producer-");
    props.put("compression.type", options.compression());
    props.put("linger.ms", options.lingerMs());
    props.put("batch.size", options.batchBytes());
    props.put("buffer.memory", options.bufferMemoryBytes());
    props.put("max.in.flight.requests.per.connection", options.maxInFlight());
    props.put("delivery.timeout.ms", (int) appendTimeoutMs);
    props.put("request.timeout.ms", (int) Math.min(30_000, appendTimeoutMs - options.lingerMs()));
    props.put("max.block.ms", appendTimeoutMs);
    props.putAll(options.clientProperties());
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    return props;
  }

  /**
   * A destination's consumer: manual commits only, and no automatic reset (the subscription
   * starts a new group at the log's start and counts what retention took from a lagging one).
   */
  static Map<String, Object> consumer(KafkaLogOptions options, String groupId) {
    long sessionMs = options.sessionTimeout().toMillis();
    Map<String, Object> props = common(options, "herald-consumer-");
    props.put("max.poll.records", 500);
    props.put("fetch.max.bytes", MAX_FETCH_BYTES);
    props.put("session.timeout.ms", (int) sessionMs);
    props.put("heartbeat.interval.ms", (int) Math.max(100, sessionMs / 10));
    props.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
    props.putAll(options.clientProperties());
    props.put("group.id", groupId);
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "none");
    props.put("isolation.level", "read_uncommitted");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return props;
  }

  /** A consumer outside any group, for reading a topic from its start (dead letters). */
  static Map<String, Object> reader(KafkaLogOptions options) {
    Map<String, Object> props = common(options, "herald-reader-");
    props.put("fetch.max.bytes", MAX_FETCH_BYTES);
    props.putAll(options.clientProperties());
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return props;
  }

  static Map<String, String> admin(KafkaLogOptions options) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", options.bootstrapServers());
    props.put("client.id", "herald-admin-" + shortId());
    props.put("request.timeout.ms", "10000");
    props.put("default.api.timeout.ms", "15000");
    props.putAll(options.clientProperties());
    return props;
  }

  private static Map<String, Object> common(KafkaLogOptions options, String clientIdPrefix) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", options.bootstrapServers());
    props.put("client.id", clientIdPrefix + shortId());
    props.put("reconnect.backoff.max.ms", 1000);
    return props;
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
