package dev.herald.destination.amplitude;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one flat JSON object into a reusable byte array: field names encoded once (see
 * {@link #name(String)}), JSON text copied verbatim from the stored event, strings escaped as
 * Jackson escapes them, numbers as digits. One per thread, reused for every event: the object's
 * bytes are then copied once, into the request body.
 */
final class JsonWriter {

  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

  private byte[] bytes;
  private int size;
  private boolean first;

  JsonWriter(int capacity) {
    bytes = new byte[capacity];
  }

  /** A field name as written: {@code "name":}. Made once per name, kept in a constant. */
  static byte[] name(String name) {
    return ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
  }

  /** Starts a new object, dropping what was written before. */
  JsonWriter begin() {
    size = 0;
    first = true;
    return put((byte) '{');
  }

  JsonWriter end() {
    return put((byte) '}');
  }

  byte[] bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  /** The next field's name ({@link #name(String)} bytes); its value follows. */
  JsonWriter field(byte[] name) {
    ensure(name.length + 1);
    if (!first) bytes[size++] = ',';
    first = false;
    System.arraycopy(name, 0, bytes, size, name.length);
    size += name.length;
    return this;
  }

  /** JSON text taken as it is. */
  JsonWriter raw(byte[] json, int offset, int length) {
    ensure(length);
    System.arraycopy(json, offset, bytes, size, length);
    size += length;
    return this;
  }

  JsonWriter raw(byte[] json) {
    return raw(json, 0, json.length);
  }

  /** A JSON string; ASCII without anything to escape is written directly, the rest by Jackson's encoder. */
  JsonWriter string(String value) {
    put((byte) '"');
    int n = value.length();
    ensure(n + 1);
    int start = size;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        size = start;
        raw(ESCAPE.quoteAsUTF8(value));
        return put((byte) '"');
      }
      bytes[size++] = (byte) c;
    }
    return put((byte) '"');
  }

  JsonWriter number(long value) {
    if (value < 0) return raw(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) digits++;
    ensure(digits);
    for (int i = size + digits - 1; i >= size; i--) {
      bytes[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += digits;
    return this;
  }

  /** Lets go of an array an outsized event made grow. */
  void shrink() {
    if (bytes.length > 64 * 1024) bytes = new byte[4096];
  }

  JsonWriter put(byte b) {
    ensure(1);
    bytes[size++] = b;
    return this;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
  }
}
