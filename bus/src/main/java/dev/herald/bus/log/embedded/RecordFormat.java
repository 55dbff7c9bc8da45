package dev.herald.bus.log.embedded;

import dev.herald.destination.api.Event;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The on-disk record of the embedded log: {@code [int bodyLength][int crc32c(body)][body]}, where
 * body = version byte, offset, receivedAt epoch ms, the length-prefixed UTF-8 strings messageId,
 * type (length -1 when null), topic, sourceId, partitionKey, then the payload bytes. Big-endian.
 */
final class RecordFormat {

  static final byte VERSION = 1;
  static final int HEADER_BYTES = 8;
  /** Far above ingest's per-event limit; anything larger in a file is a torn or corrupt length. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  static final int MIN_BODY_BYTES = 1 + 8 + 8 + 5 * 4;
  private static final int OFFSET_INDEX = 1;

  private RecordFormat() {}

  /** An upper bound of the encoded size, so the writer can reserve room before encoding. */
  static int maxRecordBytes(Event event) {
    long bound = (long) HEADER_BYTES + MIN_BODY_BYTES
        + 3L * (event.messageId().length() + lengthOf(event.type()) + event.topic().length()
            + event.sourceId().length() + event.partitionKey().length())
        + event.payloadBytes().length();
    return bound > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) bound;
  }

  private static int lengthOf(String s) {
    return s == null ? 0 : s.length();
  }

  /**
   * Encodes one record at {@code buf.position()} (which must have {@link #maxRecordBytes} room)
   * and leaves the position after it.
   *
   * @return the record's size in bytes, header included
   */
  static int encode(ByteBuffer buf, long offset, Event event, CRC32C crc) {
    int start = buf.position();
    int bodyStart = start + HEADER_BYTES;
    buf.position(bodyStart);
    buf.put(VERSION).putLong(offset).putLong(event.receivedAt().toEpochMilli());
    putString(buf, event.messageId());
    putString(buf, event.type());
    putString(buf, event.topic());
    putString(buf, event.sourceId());
    putString(buf, event.partitionKey());
    putPayload(buf, event.payloadBytes());
    int end = buf.position();
    int limit = buf.limit();
    buf.limit(end).position(bodyStart);
    crc.reset();
    crc.update(buf);
    buf.limit(limit).position(end);
    buf.putInt(start, end - bodyStart);
    buf.putInt(start + 4, (int) crc.getValue());
    return end - start;
  }

  /** ASCII fast path without allocation; anything else goes through the JDK's UTF-8 encoder. */
  private static void putString(ByteBuffer buf, String s) {
    if (s == null) {
      buf.putInt(-1);
      return;
    }
    int lengthAt = buf.position();
    buf.putInt(0);
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        buf.position(lengthAt + 4);
        buf.put(utf8);
        buf.putInt(lengthAt, utf8.length);
        return;
      }
      buf.put((byte) c);
    }
    buf.putInt(lengthAt, n);
  }

  private static void putPayload(ByteBuffer buf, Buffer payload) {
    int length = payload.length();
    if (payload instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      int limit = buf.limit();
      buf.limit(buf.position() + length);
      bytes.getBytes(bytes.readerIndex(), buf);
      buf.limit(limit);
    } else {
      buf.put(payload.getBytes());
    }
  }

  /** Whether the body's checksum matches; {@code body} holds the body at [from, from + length). */
  static boolean crcMatches(ByteBuffer body, int from, int length, int expectedCrc, CRC32C crc) {
    crc.reset();
    crc.update(body.array(), body.arrayOffset() + from, length);
    return (int) crc.getValue() == expectedCrc;
  }

  /** The offset stored in a body that {@link #checkBody} accepted. */
  static long offsetOf(ByteBuffer heap, int bodyStart) {
    return heap.getLong(bodyStart + OFFSET_INDEX);
  }

  /** Null when the body parses, else why it does not. */
  static String checkBody(ByteBuffer heap, int bodyStart, int bodyLength) {
    if (bodyLength < MIN_BODY_BYTES) {
      return "body of " + bodyLength + " bytes is too short";
    }
    if (heap.get(bodyStart) != VERSION) {
      return "unknown record version " + heap.get(bodyStart);
    }
    int at = bodyStart + 1 + 8 + 8;
    int end = bodyStart + bodyLength;
    for (int field = 0; field < 5; field++) {
      if (at + 4 > end) {
        return "string field " + field + " runs past the body";
      }
      int length = heap.getInt(at);
      at += 4;
      boolean nullable = field == 1;
      if (length < (nullable ? -1 : 0) || length > end - at) {
        return "string field " + field + " has an invalid length " + length;
      }
      at += Math.max(length, 0);
    }
    return null;
  }

  /** Decodes a body that {@link #checkBody} accepted, its payload copied out of {@code heap}. */
  static Event decode(ByteBuffer heap, int bodyStart, int bodyLength) {
    return decode(heap, bodyStart, bodyLength, null, null);
  }

  /**
   * Decodes a body that {@link #checkBody} accepted. With {@code wholeArray} (a buffer over all of
   * {@code heap}'s backing array) the payload is a slice of it, not a copy: the caller must not
   * overwrite those bytes afterwards. With {@code recent} the type, topic and source reuse the
   * previous record's strings when they are the same.
   */
  static Event decode(ByteBuffer heap, int bodyStart, int bodyLength, Buffer wholeArray, RecentStrings recent) {
    byte[] array = heap.array();
    int base = heap.arrayOffset();
    long receivedAtMillis = heap.getLong(bodyStart + 1 + 8);
    int[] at = {bodyStart + 1 + 8 + 8};
    String messageId = readString(heap, at, null, 0);
    String type = readString(heap, at, recent, 0);
    String topic = readString(heap, at, recent, 1);
    String sourceId = readString(heap, at, recent, 2);
    String partitionKey = readString(heap, at, null, 0);
    int payloadStart = base + at[0];
    int payloadEnd = base + bodyStart + bodyLength;
    Buffer payload = wholeArray != null ? wholeArray.slice(payloadStart, payloadEnd)
        : Buffer.buffer(Arrays.copyOfRange(array, payloadStart, payloadEnd));
    return new Event(messageId, type, topic, sourceId, partitionKey,
        Instant.ofEpochMilli(receivedAtMillis), payload);
  }

  /** Payload size of a body that {@link #checkBody} accepted. */
  static int payloadSize(ByteBuffer heap, int bodyStart, int bodyLength) {
    int at = bodyStart + 1 + 8 + 8;
    for (int field = 0; field < 5; field++) {
      int length = heap.getInt(at);
      at += 4 + Math.max(length, 0);
    }
    return bodyStart + bodyLength - at;
  }

  /** Fields a {@link RecentStrings} may remember: type, topic, source. */
  static final int RECENT_FIELDS = 3;

  private static String readString(ByteBuffer heap, int[] at, RecentStrings recent, int slot) {
    int length = heap.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String value = recent != null ? recent.get(slot, heap.array(), heap.arrayOffset() + at[0], length)
        : new String(heap.array(), heap.arrayOffset() + at[0], length, StandardCharsets.UTF_8);
    at[0] += length;
    return value;
  }
}
