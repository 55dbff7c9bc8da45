package dev.herald.bus.log.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaRecordEncoderTest {

  private static final Instant RECEIVED = Instant.ofEpochMilli(1_790_000_000_123L);

  @Test
  void aPayloadThatSpansItsWholeArrayGoesToTheProducerWithoutACopy() {
    byte[] json = "{\"type\":\"track\",\"event\":\"Signed Up\"}".getBytes(StandardCharsets.UTF_8);
    Buffer stored = Buffer.buffer(json);
    ProducerRecord<String, byte[]> record = new KafkaRecordEncoder("t").toRecord(event("m-1", "track", stored));
    assertSame(((BufferInternal) stored).getByteBuf().array(), record.value(), "the stored buffer's own array");
    assertArrayEquals(json, record.value());
  }

  @Test
  void aPayloadThatIsPartOfALargerArrayIsCopiedToExactlyItsBytes() {
    Buffer grown = Buffer.buffer(16).appendString("{\"a\":1}"); // capacity above the content
    Buffer slice = Buffer.buffer("xx{\"b\":2}yy").slice(2, 9);
    KafkaRecordEncoder encoder = new KafkaRecordEncoder("t");
    assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), encoder.toRecord(event("m-1", "track", grown)).value());
    assertArrayEquals("{\"b\":2}".getBytes(StandardCharsets.UTF_8), encoder.toRecord(event("m-2", "track", slice)).value());
    ByteBuf backing = ((BufferInternal) slice).getByteBuf();
    assertNotSame(backing.array(), encoder.toRecord(event("m-3", "track", slice)).value());
  }

  @Test
  void everyRecordReadsBackAsTheEventItWasWrittenFrom() {
    KafkaRecordEncoder encoder = new KafkaRecordEncoder("herald.events");
    List<Event> events = List.of(event("m-1", "track", Buffer.buffer("{\"n\":1}")),
        event("m-2", "identify", Buffer.buffer("{\"n\":2}")),
        new Event("m-3", null, "orders", "shop", "order-9", RECEIVED.plusMillis(1), Buffer.buffer("{\"n\":3}")));
    for (Event event : events) {
      ProducerRecord<String, byte[]> record = encoder.toRecord(event);
      assertEquals("herald.events", record.topic());
      assertNull(record.partition(), "the key chooses the partition");
      Event back = KafkaRecords.toEvent(consumed(record));
      assertEquals(event.messageId(), back.messageId());
      assertEquals(event.type(), back.type());
      assertEquals(event.topic(), back.topic());
      assertEquals(event.sourceId(), back.sourceId());
      assertEquals(event.partitionKey(), back.partitionKey());
      assertEquals(event.receivedAt(), back.receivedAt());
      assertEquals(event.payloadBytes(), back.payloadBytes());
    }
  }

  @Test
  void aConsumedRecordsValueBecomesTheEventsPayloadWithoutACopy() {
    ProducerRecord<String, byte[]> record = new KafkaRecordEncoder("t").toRecord(event("m-1", "track",
        Buffer.buffer("{\"n\":1}")));
    ConsumerRecord<String, byte[]> consumed = consumed(record);
    Event back = KafkaRecords.toEvent(consumed);
    assertSame(consumed.value(), ((BufferInternal) back.payloadBytes()).getByteBuf().array());
    assertEquals(1, back.payload().getInteger("n"));
    assertEquals("{\"n\":1}", back.payloadBytes().toString());
  }

  @Test
  void headersKeepTheirOrderAndARawRecordHasNoTypeHeader() {
    KafkaRecordEncoder encoder = new KafkaRecordEncoder("t");
    assertEquals(List.of("herald.messageId", "herald.source", "herald.topic", "herald.type", "herald.receivedAt"),
        names(encoder.toRecord(event("m-1", "track", Buffer.buffer("{}")))));
    assertEquals(List.of("herald.messageId", "herald.source", "herald.topic", "herald.receivedAt"),
        names(encoder.toRecord(new Event("m-2", null, "orders", "shop", "k", RECEIVED, Buffer.buffer("{}")))));
  }

  @Test
  void repeatedHeaderValuesAreSharedAndTheMessageIdIsEveryRecordsOwn() {
    KafkaRecordEncoder encoder = new KafkaRecordEncoder("t");
    ProducerRecord<String, byte[]> first = encoder.toRecord(event("m-1", "track", Buffer.buffer("{}")));
    ProducerRecord<String, byte[]> second = encoder.toRecord(event("m-2", "track", Buffer.buffer("{}")));
    assertSame(first.headers().lastHeader("herald.source"), second.headers().lastHeader("herald.source"));
    assertSame(first.headers().lastHeader("herald.receivedAt"), second.headers().lastHeader("herald.receivedAt"));
    assertEquals("m-2", new String(second.headers().lastHeader("herald.messageId").value(), StandardCharsets.UTF_8));
    ProducerRecord<String, byte[]> later = encoder.toRecord(new Event("m-3", "track", "analytics", "web", "u",
        RECEIVED.plusMillis(5), Buffer.buffer("{}")));
    assertEquals(Long.toString(RECEIVED.toEpochMilli() + 5),
        new String(later.headers().lastHeader("herald.receivedAt").value(), StandardCharsets.US_ASCII));
  }

  @Test
  void producerTuningOutsideWhatIdempotenceAllowsIsRefusedWithItsKey() {
    KafkaLogOptions base = KafkaLogOptions.defaults("127.0.0.1:9092");
    assertEquals(List.of(), base.problems());
    assertEquals(1, base.producerProperties().get("max.in.flight.requests.per.connection"));
    assertEquals(64L * 1024 * 1024, base.producerProperties().get("buffer.memory"));
    assertTrue(base.withMaxInFlight(6).problems().get(0).startsWith("log.kafka.maxInFlight must be 1 to 5"));
    assertTrue(base.withMaxInFlight(0).problems().get(0).startsWith("log.kafka.maxInFlight"));
    assertEquals(List.of(), base.withMaxInFlight(5).problems());
    assertTrue(base.withBufferMemory(1024 * 1024).problems().get(0).startsWith("log.kafka.bufferMemory must be at least"));
    assertEquals(256L * 1024 * 1024,
        base.withMaxPendingBytes(128L * 1024 * 1024).producerProperties().get("buffer.memory"),
        "the default buffer holds twice the pending bound");
    KafkaLogOptions tuned = base.withMaxInFlight(5).withBufferMemory(96L * 1024 * 1024).withLinger(20, 1024 * 1024)
        .withAppendTimeout(Duration.ofSeconds(30));
    Map<String, Object> props = tuned.producerProperties();
    assertEquals(5, props.get("max.in.flight.requests.per.connection"));
    assertEquals(96L * 1024 * 1024, props.get("buffer.memory"));
    assertEquals(20, props.get("linger.ms"));
    assertEquals(1024 * 1024, props.get("batch.size"));
    assertEquals("all", props.get("acks"));
    assertEquals(true, props.get("enable.idempotence"));
  }

  private static Event event(String messageId, String type, Buffer payload) {
    return new Event(messageId, type, "analytics", "web", "user-1", RECEIVED, payload);
  }

  private static List<String> names(ProducerRecord<String, byte[]> record) {
    List<String> names = new java.util.ArrayList<>();
    for (Header h : record.headers()) names.add(h.key());
    return names;
  }

  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
    return new ConsumerRecord<>(record.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME, -1, record.value().length,
        record.key(), record.value(), record.headers(), Optional.empty());
  }
}
