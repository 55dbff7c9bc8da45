package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON limits of ingest and the errors that name them: Jackson's streaming parser bounds
 * nesting depth and number length; string length is bounded by {@link JsonReading}, so that a
 * batch item with an overlong string is rejected alone instead of failing the whole request.
 */
final class IngestJson {

  private static final Pattern FIRST_NUMBER = Pattern.compile("\\((\\d+)");

  final JsonFactory factory;
  final int maxBatchEvents;
  final int maxDepth;
  final int maxStringLength;
  final int maxNumberLength;

  IngestJson(int maxBatchEvents, JsonLimits limits, int maxEventBytes) {
    this.maxBatchEvents = maxBatchEvents;
    this.maxDepth = limits.maxDepth();
    this.maxStringLength = limits.stringLengthFor(maxEventBytes);
    this.maxNumberLength = limits.maxNumberLength();
    int unboundedHere = Math.max(maxStringLength, Integer.MAX_VALUE / 2);
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(unboundedHere)
            .maxNameLength(unboundedHere)
            .maxNumberLength(maxNumberLength)
            .build())
        .build();
  }

  /** A parser over the bytes; Jackson may already refuse them here (it sniffs the encoding). */
  JsonParser parser(byte[] body, int offset, int length) throws IOException {
    return factory.createParser(body, offset, length);
  }

  /**
   * The value at {@code [start, end)} of a body already read once, as a Vert.x JSON value: for
   * the rare member whose bytes are not compact JSON and must be written again.
   */
  Object valueAt(byte[] body, int start, int end) {
    try (JsonParser parser = parser(body, start, end - start)) {
      parser.nextToken();
      return new JsonReading(this, parser, body).value();
    } catch (IOException e) {
      throw new UncheckedIOException("a value read once failed to read again", e);
    }
  }

  IngestException tooManyEvents() {
    return new IngestException(ErrorCode.BATCH_TOO_LARGE,
        "the request has more than maxBatchEvents (" + maxBatchEvents + ") events");
  }

  static void requireEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw new IngestException(ErrorCode.INVALID_JSON,
          "unexpected data after the JSON object at byte " + parser.currentTokenLocation().getByteOffset());
    }
  }

  static IngestException notAnObject(JsonToken first) {
    if (first == null) {
      return new IngestException(ErrorCode.INVALID_JSON, "the body is empty: expected a JSON object");
    }
    return new IngestException(ErrorCode.INVALID_JSON, "the body must be a JSON object, got " + describe(first));
  }

  IngestException invalidJson(IOException e) {
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
