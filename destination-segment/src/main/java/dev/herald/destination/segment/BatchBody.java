package dev.herald.destination.segment;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The body of {@code POST /v1/batch}: {@code {"batch":[…messages…],"sentAt":"…"}}, messages copied
 * byte for byte; and the cutting of a send's messages into requests within Segment's bounds,
 * measured on those bytes.
 */
final class BatchBody {

  private static final byte[] OPEN = "{\"batch\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SENT_AT = "],\"sentAt\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOSE = "\"}".getBytes(StandardCharsets.UTF_8);
  /** The envelope's bytes, with room to spare for the longest ISO-8601 instant. */
  static final int ENVELOPE_BYTES = OPEN.length + SENT_AT.length + CLOSE.length + 32;

  private BatchBody() {}

  /**
   * Consecutive runs of {@code messages} in order, each at most {@code maxEvents} messages and
   * {@code maxBytes} bytes as a request (a message too large alone still gets a request of its own).
   */
  static List<List<Message>> requests(List<Message> messages, int maxEvents, int maxBytes) {
    List<List<Message>> requests = new ArrayList<>();
    List<Message> open = new ArrayList<>();
    long bytes = ENVELOPE_BYTES;
    for (Message m : messages) {
      long grown = bytes + m.json.length() + 1;
      if (!open.isEmpty() && (open.size() == maxEvents || grown > maxBytes)) {
        requests.add(open);
        open = new ArrayList<>();
        grown = ENVELOPE_BYTES + m.json.length() + 1;
      }
      open.add(m);
      bytes = grown;
    }
    if (!open.isEmpty()) requests.add(open);
    return requests;
  }

  /** The request body, {@code sentAt} being {@code now}; gzip-compressed when asked. */
  static Buffer encode(List<Message> messages, Instant now, boolean gzip) {
    int size = ENVELOPE_BYTES + messages.size();
    for (Message m : messages) size += m.json.length();
    Buffer body = Buffer.buffer(size).appendBytes(OPEN);
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      body.appendBuffer(messages.get(i).json);
    }
    String sentAt = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS));
    body.appendBytes(SENT_AT).appendString(sentAt).appendBytes(CLOSE);
    return gzip ? gzip(body) : body;
  }

  private static Buffer gzip(Buffer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a stream in memory does not fail
    }
    return Buffer.buffer(out.toByteArray());
  }
}
