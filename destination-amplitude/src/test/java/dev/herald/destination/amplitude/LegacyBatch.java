package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch encoding before events were written straight into request bodies: each event mapped
 * into a buffer of its own ({@link LegacySegmentMapper}), too-large ones set aside, the rest cut
 * into requests on their encoded size and copied into bodies. The reference of
 * {@link StreamingEncoderDifferentialTest} and {@link EncodeBenchmark}.
 */
final class LegacyBatch {

  /**
   * @param bodies the request bodies, in order
   * @param events every Amplitude event that was sendable, in order, as the old mapper encoded it
   * @param rejections per stored event, why it cannot be sent (null if it can)
   */
  record Encoded(List<Buffer> bodies, List<Buffer> events, String[] rejections) {}

  private final LegacySegmentMapper mapper;
  private final byte[] prefix;
  private final byte[] suffix;
  private final int maxEvents;
  private final int maxBodyBytes;

  LegacyBatch(AmplitudeConfig config) {
    this.mapper = new LegacySegmentMapper(config);
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

  Encoded encode(List<Event> batch) {
    String[] rejections = new String[batch.size()];
    List<Buffer> sendable = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      LegacySegmentMapper.Mapping mapping = mapper.map(batch.get(i));
      if (mapping.rejection() != null) {
        rejections[i] = mapping.rejection();
        continue;
      }
      for (LegacySegmentMapper.Mapped mapped : mapping.events()) {
        if (prefix.length + suffix.length + mapped.json().length() >= maxBodyBytes) {
          rejections[i] = "the event is " + mapped.json().length() + " bytes encoded, too large for one request";
        } else {
          sendable.add(mapped.json());
        }
      }
    }
    List<Buffer> bodies = new ArrayList<>();
    for (List<Buffer> request : requests(sendable)) bodies.add(body(request));
    return new Encoded(bodies, sendable, rejections);
  }

  private List<List<Buffer>> requests(List<Buffer> events) {
    List<List<Buffer>> requests = new ArrayList<>();
    List<Buffer> current = new ArrayList<>();
    int size = prefix.length + suffix.length;
    for (Buffer event : events) {
      int added = event.length() + (current.isEmpty() ? 0 : 1);
      if (!current.isEmpty() && (current.size() >= maxEvents || size + added >= maxBodyBytes)) {
        requests.add(current);
        current = new ArrayList<>();
        size = prefix.length + suffix.length;
        added = event.length();
      }
      current.add(event);
      size += added;
    }
    if (!current.isEmpty()) requests.add(current);
    return requests;
  }

  private Buffer body(List<Buffer> events) {
    int size = prefix.length + suffix.length + events.size();
    for (Buffer event : events) size += event.length();
    Buffer body = Buffer.buffer(size).appendBytes(prefix);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) body.appendByte((byte) ',');
      body.appendBuffer(events.get(i));
    }
    return body.appendBytes(suffix);
  }
}
