package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses request bodies in one streaming pass. A batch is read item by item, so each item's
 * size as sent is known without re-encoding it and an oversized batch is refused as soon as
 * its item count passes the limit, before the rest is parsed. Nesting depth, string and number
 * length are bounded by {@link JsonLimits}; a breach names the limit and the value found.
 */
final class PayloadParser {

  private static final Pattern FIRST_NUMBER = Pattern.compile("\\((\\d+)");

  private final JsonFactory json;
  private final int maxBatchEvents;
  private final int maxDepth;
  private final int maxStringLength;
  private final int maxNumberLength;

  PayloadParser(int maxBatchEvents, JsonLimits limits, int maxEventBytes) {
    this.maxBatchEvents = maxBatchEvents;
    this.maxDepth = limits.maxDepth();
    this.maxStringLength = limits.stringLengthFor(maxEventBytes);
    this.maxNumberLength = limits.maxNumberLength();
    // Strings are bounded here rather than by Jackson, so that a batch item with an overlong
    // string is rejected alone instead of failing the whole request.
    int unboundedHere = Math.max(maxStringLength, Integer.MAX_VALUE / 2);
    this.json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(unboundedHere)
            .maxNameLength(unboundedHere)
            .maxNumberLength(maxNumberLength)
            .build())
        .build();
  }

  /** With the default JSON limits (for tests of batch framing). */
  PayloadParser(int maxBatchEvents) {
    this(maxBatchEvents, JsonLimits.DEFAULTS, IngestOptions.DEFAULT_MAX_EVENT_BYTES);
  }

  /**
   * One item of a batch: its parsed value (any JSON value, or an {@link Unreadable} that is
   * rejected whatever it holds) and its size in the body.
   */
  record BatchItem(Object value, int sizeBytes) {}

  /** A batch body: its items and the other top-level fields (sentAt, context, writeKey, …). */
  record Batch(List<BatchItem> items, JsonObject envelope) {}

  /** A body that must hold one JSON object. */
  JsonObject parseObject(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notAnObject(first);
      }
      Reading reading = new Reading(parser);
      JsonObject object = (JsonObject) reading.value();
      reading.requireBounded();
      requireEnd(parser);
      return object;
    } catch (IOException e) {
      throw invalidJson(e);
    }
  }

  /** A body of the form {@code {"batch":[…], …}}. */
  Batch parseBatch(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notAnObject(first);
      }
      Reading reading = new Reading(parser);
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
          items = reading.items();
        } else {
          envelope.put(reading.bounded(field), reading.value());
          reading.requireBounded();
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

  /**
   * Raw records: one JSON object, a JSON array of them, or NDJSON (objects one after the other,
   * usually one per line). Items that are not objects are left to the caller to reject one by one.
   */
  List<BatchItem> parseRecords(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IngestException(ErrorCode.INVALID_JSON,
            "the body is empty: expected a JSON object, an array of objects or NDJSON");
      }
      Reading reading = new Reading(parser);
      List<BatchItem> items;
      if (first == JsonToken.START_ARRAY) {
        items = reading.items();
        requireEnd(parser);
      } else {
        items = new ArrayList<>();
        for (JsonToken token = first; token != null; token = parser.nextToken()) {
          if (items.size() == maxBatchEvents) {
            throw tooManyEvents();
          }
          items.add(reading.item());
        }
      }
      if (items.isEmpty()) {
        throw new IngestException(ErrorCode.INVALID_BATCH, "the body holds no records");
      }
      return items;
    } catch (IOException e) {
      throw invalidJson(e);
    }
  }

  private IngestException tooManyEvents() {
    return new IngestException(ErrorCode.BATCH_TOO_LARGE,
        "the request has more than maxBatchEvents (" + maxBatchEvents + ") events");
  }

  /**
   * One pass over a body. An overlong string does not stop the pass: it is noted, so that a
   * batch item holding one is rejected alone (with its messageId, when that was readable).
   */
  private final class Reading {
    private final JsonParser parser;
    private IngestException overlong;

    Reading(JsonParser parser) {
      this.parser = parser;
    }

    List<BatchItem> items() throws IOException {
      List<BatchItem> items = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (items.size() == maxBatchEvents) {
          throw tooManyEvents();
        }
        items.add(item());
      }
      return items;
    }

    /** An item: its value, or for an item with an overlong string, that error and its messageId. */
    BatchItem item() throws IOException {
      long start = parser.currentTokenLocation().getByteOffset();
      overlong = null;
      Object value = value();
      long end = parser.currentLocation().getByteOffset();
      if (overlong != null) {
        Object messageId = value instanceof JsonObject object ? object.getValue("messageId") : null;
        value = new Unreadable(overlong, messageId instanceof String id ? id : null);
        overlong = null;
      }
      return new BatchItem(value, (int) (end - start));
    }

    void requireBounded() {
      if (overlong != null) {
        throw overlong;
      }
    }

    /** Builds the value starting at the current token, leaving the parser on its last token. */
    Object value() throws IOException {
      JsonToken token = parser.currentToken();
      if (token == null) {
        throw new JsonParseException(parser, "unexpected end of input");
      }
      return switch (token) {
        case START_OBJECT -> {
          Map<String, Object> map = new LinkedHashMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = bounded(parser.currentName());
            parser.nextToken();
            map.put(name, value());
          }
          yield new JsonObject(map);
        }
        case START_ARRAY -> {
          List<Object> list = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(value());
          }
          yield new JsonArray(list);
        }
        case VALUE_STRING -> bounded(parser.getText());
        case VALUE_NUMBER_INT -> parser.getNumberValue();
        case VALUE_NUMBER_FLOAT -> finite(parser);
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw new JsonParseException(parser, "unexpected token " + token);
      };
    }

    /** The text, or an empty placeholder once the breach is noted. */
    String bounded(String text) {
      if (text.length() > maxStringLength) {
        if (overlong == null) {
          overlong = new IngestException(ErrorCode.STRING_TOO_LONG, "a JSON string has " + text.length()
              + " characters, over maxStringLength (" + maxStringLength + ")");
        }
        return "";
      }
      return text;
    }
  }

  /** A batch item that cannot be accepted whatever it holds, with the messageId it carried. */
  record Unreadable(IngestException problem, String messageId) {}

  /** A double, or an error for a number beyond its range, which JSON could not store back. */
  private static Double finite(JsonParser parser) throws IOException {
    double value = parser.getDoubleValue();
    if (Double.isInfinite(value)) {
      throw new IngestException(ErrorCode.INVALID_JSON, "the number " + clipText(parser.getText())
          + " at line " + parser.currentTokenLocation().getLineNr() + " is out of range (beyond ±1.8e308)");
    }
    return value;
  }

  private static String clipText(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
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

  private IngestException invalidJson(IOException e) {
    if (e instanceof StreamConstraintsException constraint) {
      return limitBreached(constraint);
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

  /** Jackson names the breached constraint and the value found; the answer names Herald's setting. */
  private IngestException limitBreached(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    Matcher number = FIRST_NUMBER.matcher(message);
    String found = number.find() ? number.group(1) : "?";
    if (message.startsWith("Document nesting depth")) {
      return new IngestException(ErrorCode.NESTING_TOO_DEEP,
          "the JSON nests " + found + " levels deep, over maxJsonDepth (" + maxDepth + ")");
    }
    if (message.startsWith("Number value length")) {
      return new IngestException(ErrorCode.NUMBER_TOO_LONG,
          "a JSON number has " + found + " characters, over maxNumberLength (" + maxNumberLength + ")");
    }
    if (message.startsWith("String value length") || message.startsWith("Name length")) {
      return new IngestException(ErrorCode.STRING_TOO_LONG,
          "a JSON string has at least " + found + " characters, over maxStringLength (" + maxStringLength + ")");
    }
    return new IngestException(ErrorCode.PAYLOAD_TOO_LARGE, "the body exceeds a JSON limit: " + message);
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
