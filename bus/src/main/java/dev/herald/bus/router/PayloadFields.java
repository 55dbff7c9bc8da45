package dev.herald.bus.router;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
  /** Where the scan looks first in the key: its 'g' and its closing quote. */
  private static final int RARE = 5, LAST = 13;
  /** Eight bytes of a byte[] at any index, little-endian: byte k of the array is byte k of the long. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** What an {@code integrations} entry says: {@code null} counts as absent, {@code false} disables, anything else enables. */
  enum Flag { NULL, FALSE, ON }

  private PayloadFields() {}

  /** The top-level string value of {@code field}; null when absent or not a string. */
  static String string(Buffer payload, String field) {
    String value = null;
    try (JsonParser p = parser(byteBuf(payload))) {
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
    ByteBuf bytes = byteBuf(payload);
    if (!contains(bytes, INTEGRATIONS_KEY)) return null;
    Map<String, Flag> found = null;
    try (JsonParser p = parser(bytes)) {
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

  /**
   * The payload's bytes, read only here. {@link BufferInternal#getByteBuf()} wraps a slice in two
   * new objects per call; the buffer's own {@code byteBuf()} hands out the one it holds, for free.
   */
  private static ByteBuf byteBuf(Buffer payload) {
    return payload instanceof BufferImpl own ? own.byteBuf() : ((BufferInternal) payload).getByteBuf();
  }

  private static JsonParser parser(ByteBuf bytes) throws IOException {
    if (bytes.hasArray()) {
      return JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }
    return JSON.createParser(io.netty.buffer.ByteBufUtil.getBytes(bytes));
  }

  private static boolean contains(ByteBuf haystack, byte[] needle) {
    if (!haystack.hasArray()) {
      return io.netty.buffer.ByteBufUtil.indexOf(io.netty.buffer.Unpooled.wrappedBuffer(needle), haystack) >= 0;
    }
    int from = haystack.arrayOffset() + haystack.readerIndex();
    return contains(haystack.array(), from, from + haystack.readableBytes(), needle);
  }

  /**
   * Whether {@code bytes[from, to)} holds {@code needle} (of at least {@link #LAST} + 1 bytes).
   * Eight candidate positions at a time (SWAR): a position is only compared in full when its bytes at
   * {@link #RARE} and {@link #LAST} match the needle's there, a 'g' and the closing quote for
   * {@code "integrations"}, a pair JSON text seldom has that far apart, unlike a quote alone.
   */
  static boolean contains(byte[] bytes, int from, int to, byte[] needle) {
    int last = to - needle.length; // the last position the needle can start at
    long rare = broadcast(needle[RARE]);
    long end = broadcast(needle[LAST]);
    int i = from;
    for (; i + 7 <= last; i += 8) {
      long candidates = zeroBytes((long) LONGS.get(bytes, i + RARE) ^ rare) & zeroBytes((long) LONGS.get(bytes, i + LAST) ^ end);
      while (candidates != 0) {
        int at = i + (Long.numberOfTrailingZeros(candidates) >>> 3);
        if (Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) return true;
        candidates &= candidates - 1;
      }
    }
    for (; i <= last; i++) {
      if (bytes[i + LAST] == needle[LAST] && Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  /** The high bit of each zero byte of {@code x} set (and maybe of a byte above one: callers verify). */
  private static long zeroBytes(long x) {
    return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
  }

  private static long broadcast(byte b) {
    return (b & 0xFFL) * 0x0101010101010101L;
  }
}
