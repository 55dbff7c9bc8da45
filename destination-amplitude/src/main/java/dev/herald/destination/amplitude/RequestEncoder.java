package dev.herald.destination.amplitude;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds request bodies, {@code {"api_key":…,"events":[…],"options":{…}}}, from already encoded
 * events, and cuts a batch into requests that respect the API's bounds measured on the encoded
 * bytes: at most {@code maxEvents} events and strictly under {@code maxBodyBytes} bytes.
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
    return singleEventBodySize(unit.json.length()) >= maxBodyBytes;
  }

  /** Consecutive runs of {@code units}, each fitting one request (every unit must fit alone). */
  List<List<Unit>> requests(List<Unit> units) {
    List<List<Unit>> requests = new ArrayList<>();
    List<Unit> current = new ArrayList<>();
    int size = prefix.length + suffix.length;
    for (Unit unit : units) {
      int added = unit.json.length() + (current.isEmpty() ? 0 : 1);
      if (!current.isEmpty() && (current.size() >= maxEvents || size + added >= maxBodyBytes)) {
        requests.add(current);
        current = new ArrayList<>();
        size = prefix.length + suffix.length;
        added = unit.json.length();
      }
      current.add(unit);
      size += added;
    }
    if (!current.isEmpty()) requests.add(current);
    return requests;
  }

  Buffer body(List<Unit> units) {
    int size = prefix.length + suffix.length + units.size();
    for (Unit unit : units) size += unit.json.length();
    Buffer body = Buffer.buffer(size).appendBytes(prefix);
    for (int i = 0; i < units.size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      body.appendBuffer(units.get(i).json);
    }
    return body.appendBytes(suffix);
  }
}
