package dev.herald.destination.amplitude;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Herald's Amplitude mapping as it was before events were encoded straight into request bodies
 * (its writer), kept unchanged as the reference of {@link StreamingEncoderDifferentialTest}
 * and of {@link EncodeBenchmark}.
 *
 * <p>Writes one flat JSON object into a {@link Buffer}: string values escaped by Jackson's encoder,
 * numbers, and JSON text copied verbatim (an object taken whole from the stored event).
 */
final class LegacyJsonWriter {

  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

  private final Buffer out;
  private boolean first = true;

  LegacyJsonWriter(int sizeHint) {
    out = Buffer.buffer(sizeHint).appendByte((byte) '{');
  }

  /** Field names are few constants: their encoded form ({@code "name":}) is made once. */
  private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();

  private LegacyJsonWriter name(String name) {
    if (!first) out.appendByte((byte) ',');
    first = false;
    out.appendBytes(NAMES.computeIfAbsent(name, n -> ("\"" + n + "\":").getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  LegacyJsonWriter string(String name, String value) {
    if (value == null) return this;
    name(name);
    out.appendByte((byte) '"').appendBytes(ESCAPE.quoteAsUTF8(value)).appendByte((byte) '"');
    return this;
  }

  LegacyJsonWriter number(String name, long value) {
    name(name);
    out.appendString(Long.toString(value));
    return this;
  }

  /** {@code length} bytes of JSON text from {@code json} at {@code offset}, as the value. */
  LegacyJsonWriter raw(String name, byte[] json, int offset, int length) {
    name(name);
    out.appendBytes(json, offset, length);
    return this;
  }

  /** An object of one field: {@code {"inner": <raw JSON>}}. */
  LegacyJsonWriter wrapped(String name, String inner, byte[] json, int offset, int length) {
    name(name);
    out.appendString("{\"").appendString(inner).appendString("\":").appendBytes(json, offset, length).appendByte((byte) '}');
    return this;
  }

  /** An object of one string field: {@code {"key": "value"}}. */
  LegacyJsonWriter pair(String name, String key, String value) {
    name(name);
    out.appendString("{\"").appendBytes(ESCAPE.quoteAsUTF8(key)).appendString("\":\"")
        .appendBytes(ESCAPE.quoteAsUTF8(value)).appendString("\"}");
    return this;
  }

  /** {@code {"outer": {"key": "value"}}}. */
  LegacyJsonWriter nested(String name, String outer, String key, String value) {
    name(name);
    out.appendString("{\"").appendString(outer).appendString("\":{\"").appendBytes(ESCAPE.quoteAsUTF8(key))
        .appendString("\":\"").appendBytes(ESCAPE.quoteAsUTF8(value)).appendString("\"}}");
    return this;
  }

  Buffer end() {
    return out.appendByte((byte) '}');
  }
}
