package dev.herald.bus.log.kafka;

import dev.herald.destination.api.Event;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How an {@link Event} is stored in Kafka: the key is the partition key (so one user's events share
 * a partition and stay in order), the value the normalized JSON payload, and headers carry the
 * rest: {@value #MESSAGE_ID}, {@value #SOURCE}, {@value #TOPIC}, {@value #TYPE} (absent for a raw
 * record) and {@value #RECEIVED_AT} (epoch milliseconds, as the embedded log keeps it). The
 * record's own timestamp is the append time, so the broker's retention and its clock checks
 * apply to when Herald stored the event. {@link KafkaRecordEncoder} writes them.
 */
final class KafkaRecords {

  static final String MESSAGE_ID = "herald.messageId";
  static final String SOURCE = "herald.source";
  static final String TOPIC = "herald.topic";
  static final String TYPE = "herald.type";
  static final String RECEIVED_AT = "herald.receivedAt";

  private KafkaRecords() {}

  /** The event a record holds, or null when the record was not written by Herald. */
  static Event toEvent(ConsumerRecord<String, byte[]> record) {
    Headers headers = record.headers();
    String messageId = text(headers, MESSAGE_ID);
    String source = text(headers, SOURCE);
    String topic = text(headers, TOPIC);
    String receivedAt = text(headers, RECEIVED_AT);
    if (messageId == null || source == null || topic == null || receivedAt == null
        || record.key() == null || record.value() == null) {
      return null;
    }
    long millis;
    try {
      millis = Long.parseLong(receivedAt);
    } catch (NumberFormatException e) {
      return null;
    }
    return new Event(messageId, text(headers, TYPE), topic, source, record.key(),
        Instant.ofEpochMilli(millis), wrap(record.value()));
  }

  /**
   * The value as the event's payload without a copy ({@code Buffer.buffer(byte[])} would copy it):
   * the deserializer made the array for this record alone and nothing else holds it.
   */
  private static Buffer wrap(byte[] value) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(value));
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
