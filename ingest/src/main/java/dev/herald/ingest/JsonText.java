package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON text exactly as {@code JsonObject#toBuffer()} writes it (Jackson's generator), for the
 * values Herald writes itself: plain ASCII strings directly, anything else through Jackson.
 */
final class JsonText {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonText() {}

  /** The compact JSON of a value read by {@link JsonReading#value()} (or any Vert.x JSON value). */
  static byte[] encode(Object value) {
    if (value instanceof String text && plainAscii(text)) {
      byte[] out = new byte[text.length() + 2];
      out[0] = '"';
      text.getBytes(0, text.length(), out, 1);
      out[out.length - 1] = '"';
      return out;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator generator = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      JacksonCodec.encodeJson(value, generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code "name":} as Jackson writes a field name. */
  static byte[] name(String name) {
    byte[] quoted = encode(name);
    byte[] out = java.util.Arrays.copyOf(quoted, quoted.length + 1);
    out[quoted.length] = ':';
    return out;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Printable ASCII without {@code "} or {@code \}: written as it is, escaping nothing. */
  static boolean plainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
