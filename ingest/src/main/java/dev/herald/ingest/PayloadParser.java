package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses request bodies in one streaming pass. A batch is read item by item, so each item's
 * size as sent is known without re-encoding it and an oversized batch is refused as soon as
 * its item count passes the limit, before the rest is parsed.
 */
final class PayloadParser {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final int maxBatchEvents;

  PayloadParser(int maxBatchEvents) {
    this.maxBatchEvents = maxBatchEvents;
  }

  /** One item of a batch: its parsed value (any JSON value) and its size in the body. */
  record BatchItem(Object value, int sizeBytes) {}

  /** A batch body: its items and the other top-level fields (sentAt, context, writeKey, …). */
  record Batch(List<BatchItem> items, JsonObject envelope) {}

  /** A body that must hold one JSON object. */
  JsonObject parseObject(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notAnObject(first);
      }
      JsonObject object = (JsonObject) readValue(parser);
      requireEnd(parser);
      return object;
    } catch (IOException e) {
      throw invalidJson(e);
    }
  }

  /** A body of the form {@code {"batch":[…], …}}. */
  Batch parseBatch(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notAnObject(first);
      }
      List<BatchItem> items = null;
      Map<String, Object> envelope = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        if (field.equals("batch")) {
          if (valueToken != JsonToken.START_ARRAY) {
            throw new IngestException(ErrorCode.INVALID_BATCH,
                "\"batch\" must be an array of events, got " + describe(valueToken));
          }
          items = readItems(parser);
        } else {
          envelope.put(field, readValue(parser));
        }
      }
      requireEnd(parser);
      if (items == null) {
        throw new IngestException(ErrorCode.INVALID_BATCH, "the body has no \"batch\" array of events");
      }
      return new Batch(items, new JsonObject(envelope));
    } catch (IOException e) {
      throw invalidJson(e);
    }
  }

  private List<BatchItem> readItems(JsonParser parser) throws IOException {
    List<BatchItem> items = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (items.size() == maxBatchEvents) {
        throw new IngestException(ErrorCode.BATCH_TOO_LARGE,
            "the batch has more than maxBatchEvents (" + maxBatchEvents + ") events");
      }
      long start = parser.currentTokenLocation().getByteOffset();
      Object value = readValue(parser);
      long end = parser.currentLocation().getByteOffset();
      items.add(new BatchItem(value, (int) (end - start)));
    }
    return items;
  }

  /** Builds the value starting at the current token, leaving the parser on its last token. */
  private static Object readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of input");
    }
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          map.put(name, readValue(parser));
        }
        yield new JsonObject(map);
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser));
        }
        yield new JsonArray(list);
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new JsonParseException(parser, "unexpected token " + token);
    };
  }

  private static void requireEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw new IngestException(ErrorCode.INVALID_JSON,
          "unexpected data after the JSON object at byte " + parser.currentTokenLocation().getByteOffset());
    }
  }

  private static IngestException notAnObject(JsonToken first) {
    if (first == null) {
      return new IngestException(ErrorCode.INVALID_JSON, "the body is empty: expected a JSON object");
    }
    return new IngestException(ErrorCode.INVALID_JSON,
        "the body must be a JSON object, got " + describe(first));
  }

  private static IngestException invalidJson(IOException e) {
    if (e instanceof StreamConstraintsException) {
      return new IngestException(ErrorCode.INVALID_JSON, "the body exceeds a JSON limit: " + e.getMessage());
    }
    String reason = e instanceof JsonParseException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (reason != null && reason.length() > 200) {
      reason = reason.substring(0, 200) + "…";
    }
    String where = "";
    if (e instanceof JsonParseException jpe && jpe.getLocation() != null) {
      where = " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
    }
    return new IngestException(ErrorCode.INVALID_JSON, "the body is not valid JSON" + where + ": " + reason);
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }
}
