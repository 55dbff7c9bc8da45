package dev.herald.bus.router;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Looks at a stored payload's top-level fields with Jackson's streaming parser, straight from the
 * stored bytes: the filter needs a name or the {@code integrations} object, never a tree of the
 * whole event. A field given twice counts by its last value, as in a parsed {@code JsonObject}.
 */
final class PayloadFields {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] INTEGRATIONS_KEY = "\"integrations\"".getBytes(StandardCharsets.UTF_8);

  /** What an {@code integrations} entry says: {@code null} counts as absent, {@code false} disables, anything else enables. */
  enum Flag { NULL, FALSE, ON }

  private PayloadFields() {}

  /** The top-level string value of {@code field}; null when absent or not a string. */
  static String string(Buffer payload, String field) {
    String value = null;
    try (JsonParser p = parser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = field.equals(p.currentName());
        JsonToken token = p.nextToken();
        if (wanted) value = token == JsonToken.VALUE_STRING ? p.getText() : null;
        p.skipChildren();
      }
      return value;
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage(), e);
    }
  }

  /**
   * The top-level {@code integrations} object's entries in order, or null when the payload has none
   * (or its value is not an object). Most events have none: a byte scan skips the parse for them.
   */
  static Map<String, Flag> integrations(Buffer payload) {
    ByteBuf bytes = ((BufferInternal) payload).getByteBuf();
    if (!contains(bytes, INTEGRATIONS_KEY)) return null;
    Map<String, Flag> found = null;
    try (JsonParser p = parser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = "integrations".equals(p.currentName());
        JsonToken token = p.nextToken();
        if (!wanted) {
          p.skipChildren();
        } else if (token != JsonToken.START_OBJECT) {
          found = null;
          p.skipChildren();
        } else {
          found = entries(p);
        }
      }
      return found;
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage(), e);
    }
  }

  private static Map<String, Flag> entries(JsonParser p) throws IOException {
    Map<String, Flag> entries = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      entries.put(key, value == JsonToken.VALUE_NULL ? Flag.NULL : value == JsonToken.VALUE_FALSE ? Flag.FALSE : Flag.ON);
      p.skipChildren();
    }
    return entries;
  }

  private static JsonParser parser(Buffer payload) throws IOException {
    ByteBuf bytes = ((BufferInternal) payload).getByteBuf();
    if (bytes.hasArray()) {
      return JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }
    return JSON.createParser(payload.getBytes());
  }

  private static boolean contains(ByteBuf haystack, byte[] needle) {
    if (!haystack.hasArray()) {
      return io.netty.buffer.ByteBufUtil.indexOf(io.netty.buffer.Unpooled.wrappedBuffer(needle), haystack) >= 0;
    }
    // A plain array scan over the stored bytes: no copy, no per-byte bounds checks.
    byte[] bytes = haystack.array();
    int from = haystack.arrayOffset() + haystack.readerIndex();
    int last = from + haystack.readableBytes() - needle.length;
    byte first = needle[0];
    outer:
    for (int i = from; i <= last; i++) {
      if (bytes[i] != first) continue;
      for (int j = 1; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
