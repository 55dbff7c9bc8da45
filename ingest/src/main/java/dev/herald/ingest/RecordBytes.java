package dev.herald.ingest;

import dev.herald.ingest.ScannedObject.Kind;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Writes stored records as bytes, bounded by {@code maxEventBytes}: the client's bytes of each
 * member copied as they are, the members Herald sets as it encoded them. Once a record passes
 * the bound, writing stops (an oversized record costs no more than the bound). One per handler,
 * used by one request at a time: a request's records are written synchronously.
 */
final class RecordBytes {

  private static final int NAME_CACHE = 128;
  private static final int PROBES = 8;

  private byte[] body;
  private final IngestJson json;
  private final int limit;
  private byte[] buf;
  private int count;
  private boolean over;
  private final String[] cachedNames = new String[NAME_CACHE];
  private final byte[][] encodedNames = new byte[NAME_CACHE][];

  /** A writer kept by one handler (one event loop) and given each request's body in turn. */
  RecordBytes(IngestJson json, int limit) {
    this.json = json;
    this.limit = limit;
    this.buf = new byte[Math.min(limit, 1024)];
  }

  /** From now on, client bytes are copied from {@code body}; the name cache carries over. */
  void startRequest(byte[] body) {
    this.body = body;
    begin();
  }

  void begin() {
    count = 0;
    over = false;
  }

  /** The record written since {@link #begin()}, or null when it is longer than the bound. */
  Buffer finish() {
    return over ? null : Buffer.buffer(count).appendBytes(buf, 0, count);
  }

  /** Writes an object member by member, as it stands after Herald's changes. */
  void object(ScannedObject object) {
    write('{');
    boolean first = true;
    for (int i = 0; i < object.size() && !over; i++) {
      if (object.kind(i) == Kind.REMOVED) {
        continue;
      }
      if (!first) {
        write(',');
      }
      first = false;
      name(object.name(i));
      value(object, i);
    }
    write('}');
  }

  void value(ScannedObject object, int i) {
    switch (object.kind(i)) {
      case RAW -> write(body, object.start(i), object.end(i) - object.start(i));
      case RAW_REENCODED -> write(JsonText.encode(json.valueAt(body, object.start(i), object.end(i))));
      case PARSED -> write(JsonText.encode(object.valueAt(i)));
      case BYTES -> write((byte[]) object.valueAt(i));
      case VIEW -> object((ScannedObject) object.valueAt(i));
      case REMOVED -> throw new IllegalStateException("a removed member has no value");
    }
  }

  /**
   * {@code "name":}, from a small cache: a request's events mostly repeat the same names, and
   * Jackson hands out one interned string per name, so a name is found by identity. A few probes
   * past its slot keep two names of an event from evicting each other on every event.
   */
  void name(String name) {
    int home = name.hashCode();
    int slot = home & (NAME_CACHE - 1);
    for (int k = 0; k < PROBES; k++) {
      int probe = (home + k) & (NAME_CACHE - 1);
      String cached = cachedNames[probe];
      if (cached == name) {
        write(encodedNames[probe]);
        return;
      }
      if (cached == null) {
        // Names are only added, so the name is not further on.
        slot = probe;
        break;
      }
    }
    byte[] encoded = JsonText.name(name);
    cachedNames[slot] = name;
    encodedNames[slot] = encoded;
    write(encoded);
  }

  void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int offset, int length) {
    if (reserve(length)) {
      System.arraycopy(bytes, offset, buf, count, length);
      count += length;
    }
  }

  void write(char c) {
    if (reserve(1)) {
      buf[count++] = (byte) c;
    }
  }

  private boolean reserve(int more) {
    if (over || (long) count + more > limit) {
      over = true;
      return false;
    }
    if (count + more > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max((long) buf.length * 2, count + more)));
    }
    return true;
  }
}
