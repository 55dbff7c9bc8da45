package dev.herald.destination.amplitude;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a Segment event the Amplitude mapping reads, taken in one streaming pass over the
 * stored JSON bytes: strings, numbers and objects kept as their JSON text (byte ranges of the
 * payload; a string is decoded only if the mapping needs its value), everything else skipped.
 * Building no tree keeps mapping cheap, since the runner maps every event it delivers.
 */
final class SegmentFields {

  /** A field the mapping reads; {@code path} is dotted from the event's root. */
  enum Field {
    TYPE("type"), EVENT("event"), USER_ID("userId"), ANONYMOUS_ID("anonymousId"), TIMESTAMP("timestamp"),
    RECEIVED_AT("receivedAt"), NAME("name"), GROUP_ID("groupId"), PREVIOUS_ID("previousId"),
    PROPERTIES("properties"), PROPERTIES_NAME("properties.name"), REVENUE("properties.revenue"),
    PRICE("properties.price"), QUANTITY("properties.quantity"), PRODUCT_ID("properties.productId"),
    PRODUCT_ID_SNAKE("properties.product_id"), REVENUE_TYPE("properties.revenueType"),
    REVENUE_TYPE_SNAKE("properties.revenue_type"), TRAITS("traits"), CONTEXT_TRAITS("context.traits"),
    GROUP_TYPE_TRAIT(null),
    IP("context.ip"), LOCALE("context.locale"), USER_AGENT("context.userAgent"), APP_VERSION("context.app.version"),
    OS_NAME("context.os.name"), OS_VERSION("context.os.version"), DEVICE_MODEL("context.device.model"),
    DEVICE_MANUFACTURER("context.device.manufacturer"), DEVICE_TYPE("context.device.type"),
    ADVERTISING_ID("context.device.advertisingId"), COUNTRY("context.location.country"),
    REGION("context.location.region"), CITY("context.location.city"), LATITUDE("context.location.latitude"),
    LONGITUDE("context.location.longitude"), CARRIER("context.network.carrier"),
    LIBRARY_NAME("context.library.name"), LIBRARY_VERSION("context.library.version"),
    // integrations.<amplitude, any case>: matched specially
    SESSION_ID(null), AMPLITUDE_GROUPS(null);

    final String path;

    Field(String path) {
      this.path = path;
    }

    /** Sent to Amplitude as an integer, so read as a long. */
    boolean integer() {
      return this == QUANTITY || this == SESSION_ID;
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** A level of the paths read: which names lead where. */
  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    Field field;
    boolean amplitudeIntegration; // integrations.<Amplitude in any case>
  }

  private final Node root = new Node();
  private final Node amplitude = new Node();

  /** @param groupTypeTrait a trait read as {@link Field#GROUP_TYPE_TRAIT}, or null */
  SegmentFields(String groupTypeTrait) {
    for (Field field : Field.values()) {
      if (field.path != null) add(field.path, field);
    }
    if (groupTypeTrait != null) add("traits." + groupTypeTrait, Field.GROUP_TYPE_TRAIT);
    Node integrations = new Node();
    integrations.amplitudeIntegration = true;
    root.children.put("integrations", integrations);
    Node session = new Node();
    session.field = Field.SESSION_ID;
    amplitude.children.put("session_id", session);
    Node groups = new Node();
    groups.field = Field.AMPLITUDE_GROUPS;
    amplitude.children.put("groups", groups);
  }

  private void add(String path, Field field) {
    Node node = root;
    int start = 0;
    while (true) {
      int dot = path.indexOf('.', start);
      String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
      node = node.children.computeIfAbsent(name, n -> new Node());
      if (dot < 0) break;
      start = dot + 1;
    }
    node.field = field;
  }

  /**
   * What one event holds of the fields read, as positions in its JSON bytes. Reused for every event
   * a thread maps ({@link Scratch}): mapping runs for every delivered event.
   */
  static final class Values {
    private static final int FIELDS = Field.values().length;

    byte[] json;
    private int base;
    private int limit;
    private final int[] textStart = new int[FIELDS];
    private final int[] textEnd = new int[FIELDS];
    private final String[] strings = new String[FIELDS];
    private final int[] start = new int[FIELDS];
    private final int[] end = new int[FIELDS];
    private final boolean[] number = new boolean[FIELDS];
    private final int[] fieldCount = new int[FIELDS];
    private final long[] longs = new long[FIELDS];

    /** Positions the parser reports are from {@code newBase}; the event ends at {@code newLimit}. */
    private Values reset(byte[] newJson, int newBase, int newLimit) {
      json = newJson;
      base = newBase;
      limit = newLimit;
      Arrays.fill(textEnd, 0);
      Arrays.fill(strings, null);
      Arrays.fill(end, 0);
      Arrays.fill(number, false);
      return this;
    }

    /** True if the field is a JSON string. */
    boolean isString(Field field) {
      return textEnd[field.ordinal()] > 0;
    }

    /** The field's value if it is a JSON string, else null; decoded on first use. */
    String string(Field field) {
      int i = field.ordinal();
      if (strings[i] == null && textEnd[i] > 0) strings[i] = decode(json, textStart[i], textEnd[i]);
      return strings[i];
    }

    /** A string's JSON text, quotes included: offset and length within {@link #json}. */
    int textStart(Field field) {
      return textStart[field.ordinal()];
    }

    int textLength(Field field) {
      return textEnd[field.ordinal()] - textStart[field.ordinal()];
    }

    /** True if the string is blank ({@link String#isBlank()}), decoding it only when it holds escapes or non-ASCII. */
    boolean isBlank(Field field) {
      int i = field.ordinal();
      for (int p = textStart[i] + 1; p < textEnd[i] - 1; p++) {
        byte b = json[p];
        if (b == '\\' || b < 0) return string(field).isBlank();
        if (!Character.isWhitespace(b)) return false;
      }
      return true;
    }

    /** True if the field is a JSON object ({@link #rawStart} gives its bytes). */
    boolean isObject(Field field) {
      return end[field.ordinal()] > 0 && !number[field.ordinal()];
    }

    /** True if the field is a JSON number ({@link #rawStart} gives its text). */
    boolean isNumber(Field field) {
      return number[field.ordinal()];
    }

    /** An object's or number's JSON text: offset and length within {@link #json}. */
    int rawStart(Field field) {
      return start[field.ordinal()];
    }

    int rawLength(Field field) {
      return end[field.ordinal()] - start[field.ordinal()];
    }

    /** How many fields an object has. */
    int fieldCount(Field field) {
      return fieldCount[field.ordinal()];
    }

    /** A number's value as a long (fractions truncated); read for the fields sent as integers only. */
    long longValue(Field field) {
      return longs[field.ordinal()];
    }
  }

  /** The string whose JSON text (quotes included) is {@code json[from, to)}. */
  private static String decode(byte[] json, int from, int to) {
    for (int p = from + 1; p < to - 1; p++) {
      if (json[p] == '\\') return unescape(json, from, to);
    }
    return new String(json, from + 1, to - from - 2, StandardCharsets.UTF_8);
  }

  private static String unescape(byte[] json, int from, int to) {
    try (JsonParser parser = JSON.createParser(json, from, to - from)) {
      parser.nextToken();
      return parser.getText();
    } catch (IOException e) {
      throw new IllegalStateException("a string the parser accepted no longer parses", e);
    }
  }

  /** The end (past the closing quote) of the JSON string opening at {@code quote}, within {@code length} bytes. */
  private static int stringEnd(byte[] json, int length, int quote) throws IOException {
    int p = quote + 1;
    while (p < length) {
      byte b = json[p];
      if (b == '"') return p + 1;
      p += b == '\\' ? 2 : 1;
    }
    throw new IOException("an unterminated string");
  }

  /**
   * A parser over stored events laid side by side, kept from one event to the next: creating a
   * parser per event costs more than reading most events.
   */
  static final class Cursor {
    private JsonParser parser;
    private byte[] json;
    private int limit;
    private int base;
    private int next = -1;

    /** The events to read next lie in {@code json} before {@code newLimit}. */
    void over(byte[] newJson, int newLimit) {
      close();
      json = newJson;
      limit = newLimit;
    }

    private void startAt(int from) throws IOException {
      close();
      parser = JSON.createParser(json, from, limit - from);
      base = from;
    }

    void close() {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException e) {
          // a parser over a byte array holds nothing to release
        }
      }
      parser = null;
      next = -1;
    }
  }

  /**
   * The fields of the event whose JSON is {@code json[from, to)}, read into {@code into} (valid
   * until it is reused). With a {@code cursor} over the same bytes, its parser reads on from the
   * previous event; whenever that does not end exactly at {@code to} (an error, bytes after the
   * object), the event is read again alone, so that the outcome is always the event's own.
   *
   * @throws IOException when the bytes are not a JSON object
   */
  Values read(byte[] json, int from, int to, Cursor cursor, Values into) throws IOException {
    if (cursor != null && cursor.json == json) {
      try {
        if (cursor.next != from) cursor.startAt(from);
        if (readOne(cursor.parser, cursor.base, json, to, into) == to) {
          cursor.next = to;
          return into;
        }
      } catch (IOException e) {
        // read alone below
      }
      cursor.close();
    }
    try (JsonParser parser = JSON.createParser(json, from, to - from)) {
      readOne(parser, from, json, to, into);
    }
    return into;
  }

  /** Reads one event's object; returns where it ended. */
  private int readOne(JsonParser parser, int base, byte[] json, int to, Values into) throws IOException {
    into.reset(json, base, to);
    if (parser.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
    readObject(parser, root, into);
    return base + (int) parser.currentLocation().getByteOffset();
  }

  /** Reads the object the parser is in (just past its START_OBJECT) through its END_OBJECT; returns its field count. */
  private int readObject(JsonParser parser, Node node, Values values) throws IOException {
    int fields = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      fields++;
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      Node child = node.amplitudeIntegration
          ? (isAmplitude(name) ? amplitude : null)
          : node.children.get(name);
      if (child == null) {
        parser.skipChildren();
      } else {
        readValue(parser, child, token, values);
      }
    }
    return fields;
  }

  private void readValue(JsonParser parser, Node node, JsonToken token, Values values) throws IOException {
    Field field = node.field;
    if (token == JsonToken.START_OBJECT) {
      int start = values.base + (int) parser.currentTokenLocation().getByteOffset();
      boolean descend = !node.children.isEmpty() || node.amplitudeIntegration;
      int fields = descend ? readObject(parser, node, values) : countFields(parser);
      if (field != null) {
        int i = field.ordinal();
        values.start[i] = start;
        values.end[i] = values.base + (int) parser.currentLocation().getByteOffset();
        values.number[i] = false;
        values.fieldCount[i] = fields;
      }
    } else if (token == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else if (field != null && token == JsonToken.VALUE_STRING) {
      // Kept as its bytes: most strings are copied into the Amplitude event as they are.
      int i = field.ordinal();
      int quote = values.base + (int) parser.currentTokenLocation().getByteOffset();
      values.textStart[i] = quote;
      values.textEnd[i] = stringEnd(values.json, values.limit, quote);
      values.strings[i] = null;
    } else if (field != null && token.isNumeric()) {
      int i = field.ordinal();
      values.start[i] = values.base + (int) parser.currentTokenLocation().getByteOffset();
      values.end[i] = values.base + (int) parser.currentLocation().getByteOffset();
      values.number[i] = true;
      // As a long only where Amplitude takes an integer (a fraction is truncated, a number beyond a
      // long's range fails the event as before); other numbers are copied as written.
      if (field.integer()) values.longs[i] = parser.getValueAsLong();
    }
  }

  /** {@code name.toLowerCase(Locale.ROOT).equals("amplitude")}, without a lower-cased copy of every integration's name. */
  private static boolean isAmplitude(String name) {
    return name.equalsIgnoreCase("amplitude") && name.toLowerCase(Locale.ROOT).equals("amplitude");
  }

  /** Skips the object the parser is in (just past START_OBJECT), counting its fields. */
  private static int countFields(JsonParser parser) throws IOException {
    int fields = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      fields++;
      parser.nextToken();
      parser.skipChildren();
    }
    return fields;
  }
}
