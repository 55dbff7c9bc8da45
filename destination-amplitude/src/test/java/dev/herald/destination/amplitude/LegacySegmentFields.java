package dev.herald.destination.amplitude;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Herald's Amplitude mapping as it was before events were encoded straight into request bodies
 * (its field reader), kept unchanged as the reference of {@link StreamingEncoderDifferentialTest}
 * and of {@link EncodeBenchmark}.
 *
 * <p>The fields of a Segment event the Amplitude mapping reads, taken in one streaming pass over the
 * stored JSON bytes: strings decoded, numbers and objects kept as their JSON text (byte ranges of
 * the payload), everything else skipped. Building no tree keeps mapping cheap, since the runner
 * maps every event it delivers.
 */
final class LegacySegmentFields {

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
  LegacySegmentFields(String groupTypeTrait) {
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
   * What one event holds of the fields read. One per thread, reset for each event: mapping runs
   * for every delivered event, and these arrays would otherwise be its largest garbage.
   */
  static final class Values {
    private static final int FIELDS = Field.values().length;

    byte[] json;
    private final String[] strings = new String[FIELDS];
    private final int[] start = new int[FIELDS];
    private final int[] end = new int[FIELDS];
    private final boolean[] number = new boolean[FIELDS];
    private final int[] fieldCount = new int[FIELDS];
    private final long[] longs = new long[FIELDS];

    private Values reset(byte[] newJson) {
      json = newJson;
      Arrays.fill(strings, null);
      Arrays.fill(end, 0);
      Arrays.fill(number, false);
      return this;
    }

    /** The field's value if it is a JSON string, else null. */
    String string(Field field) {
      return strings[field.ordinal()];
    }

    /** True if the field is a JSON object ({@link #raw} gives its bytes). */
    boolean isObject(Field field) {
      return end[field.ordinal()] > 0 && !number[field.ordinal()];
    }

    /** True if the field is a JSON number ({@link #raw} gives its text). */
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

    /** A number's value as a long (fractions truncated). */
    long longValue(Field field) {
      return longs[field.ordinal()];
    }
  }

  private static final ThreadLocal<Values> VALUES = ThreadLocal.withInitial(Values::new);

  /**
   * The fields of {@code json}, valid until this thread reads the next event.
   *
   * @throws IOException when the bytes are not a JSON object
   */
  Values read(byte[] json) throws IOException {
    Values values = VALUES.get().reset(json);
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
      readObject(parser, root, values);
    }
    return values;
  }

  /** Reads the object the parser is in (just past its START_OBJECT) through its END_OBJECT; returns its field count. */
  private int readObject(JsonParser parser, Node node, Values values) throws IOException {
    int fields = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      fields++;
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      Node child = node.amplitudeIntegration
          ? (name.toLowerCase(Locale.ROOT).equals("amplitude") ? amplitude : null)
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
      int start = (int) parser.currentTokenLocation().getByteOffset();
      boolean descend = !node.children.isEmpty() || node.amplitudeIntegration;
      int fields = descend ? readObject(parser, node, values) : countFields(parser);
      if (field != null) {
        int i = field.ordinal();
        values.start[i] = start;
        values.end[i] = (int) parser.currentLocation().getByteOffset();
        values.number[i] = false;
        values.fieldCount[i] = fields;
      }
    } else if (token == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else if (field != null && token == JsonToken.VALUE_STRING) {
      values.strings[field.ordinal()] = parser.getText();
    } else if (field != null && token.isNumeric()) {
      int i = field.ordinal();
      values.start[i] = (int) parser.currentTokenLocation().getByteOffset();
      values.end[i] = (int) parser.currentLocation().getByteOffset();
      values.number[i] = true;
      values.longs[i] = parser.getValueAsLong();
    }
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
