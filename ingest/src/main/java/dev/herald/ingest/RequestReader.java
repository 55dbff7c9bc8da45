package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.ingest.JsonReading.Mode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads request bodies in one streaming pass into shallow views of their events. A batch is
 * read item by item, so each item's size as sent is known, and an oversized batch is refused as
 * soon as its item count passes the limit, before the rest is read. A batch's other top-level
 * fields (sentAt, context, integrations, writeKey, …) are small and read as values.
 */
final class RequestReader {

  private final IngestJson json;

  RequestReader(int maxBatchEvents, JsonLimits limits, int maxEventBytes) {
    this.json = new IngestJson(maxBatchEvents, limits, maxEventBytes);
  }

  IngestJson json() {
    return json;
  }

  /**
   * One event or record of a request: a {@link ScannedObject}, {@link #NOT_AN_OBJECT} or an
   * {@link Unreadable}; and its size in the body.
   */
  record Item(Object value, int sizeBytes) {}

  /** An item that is some other JSON value than an object. */
  static final Object NOT_AN_OBJECT = new Object();

  /** An item that cannot be accepted whatever it holds, with the messageId it carried. */
  record Unreadable(IngestException problem, String messageId) {}

  record Batch(List<Item> items, JsonObject envelope) {}

  /** A body that must hold one JSON object: a Segment event. */
  ScannedObject readObject(byte[] body) {
    try (JsonParser parser = json.parser(body, 0, body.length)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw IngestJson.notAnObject(first);
      }
      JsonReading reading = new JsonReading(json, parser, body);
      ScannedObject event = reading.object(Mode.EVENT);
      reading.requireBounded();
      IngestJson.requireEnd(parser);
      return event;
    } catch (IOException e) {
      throw json.invalidJson(e);
    }
  }

  /** A body of the form {@code {"batch":[…], …}}. */
  Batch readBatch(byte[] body) {
    try (JsonParser parser = json.parser(body, 0, body.length)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw IngestJson.notAnObject(first);
      }
      JsonReading reading = new JsonReading(json, parser, body);
      List<Item> items = null;
      Map<String, Object> envelope = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        if (field.equals("batch")) {
          if (valueToken != JsonToken.START_ARRAY) {
            throw new IngestException(ErrorCode.INVALID_BATCH,
                "\"batch\" must be an array of events, got " + IngestJson.describe(valueToken));
          }
          items = items(reading, parser, Mode.EVENT);
        } else {
          envelope.put(reading.bounded(field), reading.value());
          reading.requireBounded();
        }
      }
      IngestJson.requireEnd(parser);
      if (items == null) {
        throw new IngestException(ErrorCode.INVALID_BATCH, "the body has no \"batch\" array of events");
      }
      return new Batch(items, new JsonObject(envelope));
    } catch (IOException e) {
      throw json.invalidJson(e);
    }
  }

  /**
   * Raw records: one JSON object, a JSON array of them, or NDJSON (objects one after the other,
   * usually one per line). Items that are not objects are left to the caller to reject one by one.
   */
  List<Item> readRecords(byte[] body) {
    try (JsonParser parser = json.parser(body, 0, body.length)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IngestException(ErrorCode.INVALID_JSON,
            "the body is empty: expected a JSON object, an array of objects or NDJSON");
      }
      JsonReading reading = new JsonReading(json, parser, body);
      List<Item> items;
      if (first == JsonToken.START_ARRAY) {
        items = items(reading, parser, Mode.RECORD);
        IngestJson.requireEnd(parser);
      } else {
        items = new ArrayList<>();
        for (JsonToken token = first; token != null; token = parser.nextToken()) {
          if (items.size() == json.maxBatchEvents) {
            throw json.tooManyEvents();
          }
          items.add(item(reading, Mode.RECORD));
        }
      }
      if (items.isEmpty()) {
        throw new IngestException(ErrorCode.INVALID_BATCH, "the body holds no records");
      }
      return items;
    } catch (IOException e) {
      throw json.invalidJson(e);
    }
  }

  private List<Item> items(JsonReading reading, JsonParser parser, Mode mode) throws IOException {
    List<Item> items = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (items.size() == json.maxBatchEvents) {
        throw json.tooManyEvents();
      }
      items.add(item(reading, mode));
    }
    return items;
  }

  /** An item: its view, or for an item with an overlong string, that error and its messageId. */
  private static Item item(JsonReading reading, Mode mode) throws IOException {
    int start = reading.offset();
    reading.takeOverlong();
    Object value;
    int end;
    if (reading.currentIsObject()) {
      value = reading.object(mode);
      end = reading.end();
    } else {
      reading.skipRaw(start);
      value = NOT_AN_OBJECT;
      end = reading.rawEnd;
    }
    IngestException overlong = reading.takeOverlong();
    if (overlong != null) {
      Object messageId = value instanceof ScannedObject object ? object.value("messageId") : null;
      value = new Unreadable(overlong, messageId instanceof String id ? id : null);
    }
    return new Item(value, end - start);
  }
}
