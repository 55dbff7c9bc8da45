package dev.herald.destination.amplitude;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of request bodies, {@code {"api_key":…,"events":[…],"options":{…}}}, and where a batch
 * is cut into requests that respect the API's bounds measured on the encoded bytes: at most
 * {@code maxEvents} events and strictly under {@code maxBodyBytes} bytes. {@link BatchEncoder}
 * writes a batch's bodies by these rules; {@link #body} builds the body of a resent part.
 */
final class RequestEncoder {

  // Byte arrays, not Buffers: bodies are built on several threads at once and only read these.
  private final byte[] prefix;
  private final byte[] suffix;
  private final int maxEvents;
  private final int maxBodyBytes;

  RequestEncoder(AmplitudeConfig config) {
    // Encoding the key through JSON escapes it properly; cut off the closing brace to append events.
    String head = new JsonObject().put("api_key", config.apiKey()).encode();
    this.prefix = (head.substring(0, head.length() - 1) + ",\"events\":[").getBytes(StandardCharsets.UTF_8);
    String tail = "]";
    if (config.minIdLength() != null) {
      tail += ",\"options\":" + new JsonObject().put("min_id_length", config.minIdLength()).encode();
    }
    this.suffix = (tail + "}").getBytes(StandardCharsets.UTF_8);
    this.maxEvents = config.maxEventsPerRequest();
    this.maxBodyBytes = config.api().maxBodyBytes();
  }

  /** Bytes a request of one event of {@code eventBytes} bytes takes. */
  int singleEventBodySize(int eventBytes) {
    return prefix.length + suffix.length + eventBytes;
  }

  /** True if one event alone is too large for any request. */
  boolean tooLarge(Unit unit) {
    return tooLarge(unit.length);
  }

  boolean tooLarge(int eventBytes) {
    return singleEventBodySize(eventBytes) >= maxBodyBytes;
  }

  /**
   * True if an event of {@code eventBytes} starts a new request after one of {@code events} events
   * and {@code bodyBytes} bytes so far (prefix and suffix included).
   */
  boolean full(int events, int bodyBytes, int eventBytes) {
    return events > 0 && (events >= maxEvents || bodyBytes + 1 + eventBytes >= maxBodyBytes);
  }

  /** The bytes a body has before its first event and after its last. */
  int overhead() {
    return prefix.length + suffix.length;
  }

  byte[] prefix() {
    return prefix;
  }

  byte[] suffix() {
    return suffix;
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Consecutive runs of {@code units}, each fitting one request (every unit must fit alone). */
  List<List<Unit>> requests(List<Unit> units) {
    List<List<Unit>> requests = new ArrayList<>();
    List<Unit> current = new ArrayList<>();
    int size = overhead();
    for (Unit unit : units) {
      if (full(current.size(), size, unit.length)) {
        requests.add(current);
        current = new ArrayList<>();
        size = overhead();
      }
      size += unit.length + (current.isEmpty() ? 0 : 1);
      current.add(unit);
    }
    if (!current.isEmpty()) requests.add(current);
    return requests;
  }

  /** A body of already encoded units (a resent part of a request): their bytes copied from where they were written. */
  Buffer body(List<Unit> units) {
    int size = prefix.length + suffix.length + units.size();
    for (Unit unit : units) size += unit.length;
    Buffer body = Buffer.buffer(size).appendBytes(prefix);
    for (int i = 0; i < units.size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      Unit unit = units.get(i);
      body.appendBuffer(unit.bytes, unit.offset, unit.length);
    }
    return body.appendBytes(suffix);
  }
}
