package dev.herald.bus.log.kafka;

import dev.herald.destination.api.Event;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns events into producer records in the layout {@link KafkaRecords} describes, with as little
 * per-record work as it allows: the value is the stored JSON's own byte array when the payload
 * buffer wraps exactly that array (what ingest stores), so the producer's copy into its batch is
 * the only one; the headers whose values repeat (source, topic, type, and the receipt time shared
 * by every event of a request) are built once and shared by the records, which the producer only
 * reads. Only the messageId header is encoded per record.
 *
 * <p>Not thread-safe: the log's sender thread owns it.
 */
final class KafkaRecordEncoder {

  /** Distinct header values kept; beyond, values are encoded per record (raw topics could be many). */
  private static final int MAX_CACHED = 1024;

  private final String kafkaTopic;
  private final Map<String, Header> sources = new HashMap<>();
  private final Map<String, Header> topics = new HashMap<>();
  private final Map<String, Header> types = new HashMap<>();
  private long lastReceivedAt = Long.MIN_VALUE;
  private Header lastReceivedAtHeader;

  KafkaRecordEncoder(String kafkaTopic) {
    this.kafkaTopic = kafkaTopic;
  }

  ProducerRecord<String, byte[]> toRecord(Event event) {
    Header[] headers = new Header[event.type() == null ? 4 : 5];
    headers[0] = new RecordHeader(KafkaRecords.MESSAGE_ID, event.messageId().getBytes(StandardCharsets.UTF_8));
    headers[1] = shared(sources, KafkaRecords.SOURCE, event.sourceId());
    headers[2] = shared(topics, KafkaRecords.TOPIC, event.topic());
    int next = 3;
    if (event.type() != null) {
      headers[next++] = shared(types, KafkaRecords.TYPE, event.type());
    }
    headers[next] = receivedAt(event.receivedAt().toEpochMilli());
    return new ProducerRecord<>(kafkaTopic, null, null, event.partitionKey(), bytes(event.payloadBytes()),
        new RecordHeaders(headers));
  }

  /**
   * The buffer's bytes: its backing array itself when the buffer spans all of it, else a copy.
   * The producer copies the value into its batch during {@code send} and keeps no reference, and
   * a stored payload is never modified, so handing out the array is safe.
   */
  static byte[] bytes(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        byte[] array = buf.array();
        if (buf.arrayOffset() + buf.readerIndex() == 0 && buf.readableBytes() == array.length) {
          return array;
        }
      }
    }
    return buffer.getBytes();
  }

  private Header receivedAt(long millis) {
    if (millis != lastReceivedAt) {
      lastReceivedAt = millis;
      lastReceivedAtHeader = new RecordHeader(KafkaRecords.RECEIVED_AT,
          Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
    }
    return lastReceivedAtHeader;
  }

  private static Header shared(Map<String, Header> cache, String name, String value) {
    Header header = cache.get(value);
    if (header == null) {
      header = new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
      if (cache.size() < MAX_CACHED) {
        cache.put(value, header);
      }
    }
    return header;
  }
}
