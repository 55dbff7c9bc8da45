package dev.herald.ingest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A shallow view of one JSON object of a request: each member's name, where its value lies in
 * the body, and how it is to be written. Only the members Herald inspects hold a parsed value;
 * the others are byte ranges. A repeated name keeps its first position and its last value, as
 * a {@code LinkedHashMap} does. Members Herald adds or rewrites carry their encoded bytes.
 */
final class ScannedObject {

  /** How a member's value is written. */
  enum Kind {
    /** The client's bytes, copied as they are. */
    RAW,
    /** The client's bytes, which are not in compact form: read and written again. */
    RAW_REENCODED,
    /** The parsed value in {@link #value}, written by {@link JsonText#encode}. */
    PARSED,
    /** Bytes Herald set, in {@link #value}. */
    BYTES,
    /** A nested shallow view in {@link #value} (context, integrations). */
    VIEW,
    REMOVED
  }

  /** A member's parsed value when it is an object Herald does not open (properties, traits). */
  static final Object OBJECT = new Object();
  /** A member's parsed value when it is neither an object nor null, and Herald does not open it. */
  static final Object NOT_OBJECT = new Object();

  private static final int INDEXED_FROM = 12;

  final int start;
  private String[] names;
  private Kind[] kinds;
  private Object[] values;
  private int[] starts;
  private int[] ends;
  private int size;
  /** One bit per name hash modulo 64: a name whose bit is clear is not here, without a look. */
  private long hashBits;
  private Map<String, Integer> index;
  /** An event's fields, told as it was read; null for other objects. */
  private EventFields fields;

  ScannedObject(int start) {
    this(start, 8);
  }

  /** @param capacity the members expected, Herald's own included (growing costs a copy of each array) */
  ScannedObject(int start, int capacity) {
    this.start = start;
    names = new String[capacity];
    kinds = new Kind[capacity];
    values = new Object[capacity];
    starts = new int[capacity];
    ends = new int[capacity];
  }

  int size() {
    return size;
  }

  /** The event's fields when this view was read as an event, else null. */
  EventFields fields() {
    return fields;
  }

  void fields(EventFields eventFields) {
    this.fields = eventFields;
  }

  String name(int i) {
    return names[i];
  }

  Kind kind(int i) {
    return kinds[i];
  }

  Object valueAt(int i) {
    return values[i];
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  /** The position of a present (not removed) member, or -1. */
  int indexOf(String name) {
    int i;
    if (index != null) {
      Integer found = index.get(name);
      i = found == null ? -1 : found;
    } else {
      i = linear(name);
    }
    return i >= 0 && kinds[i] != Kind.REMOVED ? i : -1;
  }

  boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** The parsed value of a member (null when absent, JSON null or not parsed). */
  Object value(String name) {
    int i = indexOf(name);
    return i < 0 || (kinds[i] != Kind.PARSED && kinds[i] != Kind.VIEW && kinds[i] != Kind.RAW
        && kinds[i] != Kind.RAW_REENCODED) ? null : values[i];
  }

  /** Adds a member read from the body; a repeated name keeps its position and takes this value. */
  void put(String name, Kind kind, Object value, int start, int end) {
    replace(slot(name), kind, value, start, end);
  }

  /** Replaces the member at a position, keeping its name and place. */
  void replace(int i, Kind kind, Object value, int start, int end) {
    kinds[i] = kind;
    values[i] = value;
    starts[i] = start;
    ends[i] = end;
  }

  /** Appends a member whose name the caller knows is not here (no look-up); its position. */
  int append(String name, Kind kind, Object value, int start, int end) {
    int i = add(name);
    replace(i, kind, value, start, end);
    return i;
  }

  /** Sets a member to bytes Herald wrote (in place when present, else appended). */
  void set(String name, byte[] encoded) {
    put(name, Kind.BYTES, encoded, -1, -1);
  }

  void remove(String name) {
    int i = indexOf(name);
    if (i >= 0) {
      kinds[i] = Kind.REMOVED;
      values[i] = null;
    }
  }

  private int slot(String name) {
    int i = index != null ? index.getOrDefault(name, -1) : linear(name);
    return i >= 0 ? i : add(name);
  }

  private int add(String name) {
    if (size == names.length) {
      int grown = size * 2;
      names = Arrays.copyOf(names, grown);
      kinds = Arrays.copyOf(kinds, grown);
      values = Arrays.copyOf(values, grown);
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
    }
    names[size] = name;
    hashBits |= 1L << name.hashCode();
    if (index == null && size + 1 > INDEXED_FROM) {
      index = new HashMap<>();
      for (int k = 0; k < size; k++) {
        index.put(names[k], k);
      }
    }
    if (index != null) {
      index.put(name, size);
    }
    return size++;
  }

  private int linear(String name) {
    int hash = name.hashCode();
    if ((hashBits & (1L << hash)) == 0) {
      return -1;
    }
    for (int k = 0; k < size; k++) {
      // Jackson's names are interned, as are Herald's literals: identity is the common match.
      // A String keeps its hash, so comparing hashes first costs no array of them.
      if (names[k] == name || (names[k].hashCode() == hash && names[k].equals(name))) {
        return k;
      }
    }
    return -1;
  }
}
