package dev.herald.destination.amplitude;

import dev.herald.destination.amplitude.SegmentFields.Field;
import dev.herald.destination.amplitude.SegmentFields.Values;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns one stored event into the Amplitude events that carry it: Segment-spec events are mapped
 * (track, identify, page, screen, group, alias), raw-topic records that already are Amplitude
 * events pass through. Every Amplitude event gets an {@code insert_id} derived from the messageId,
 * so a re-delivery within Amplitude's 7-day window has no effect. Segment events are read in one
 * streaming pass ({@link SegmentFields}) and written as bytes ({@link JsonWriter}): properties,
 * traits and the context strings Amplitude takes unchanged are copied as they were stored, never
 * decoded and encoded again.
 */
final class SegmentMapper {

  /** Where mapped events go, one at a time: the writer's bytes are valid until the next event is written. */
  interface Output {
    /** {@code userId} and {@code deviceId} are the ids Amplitude throttles by. */
    void add(JsonWriter event, String userId, String deviceId);
  }

  /** One Amplitude event, encoded, with the ids Amplitude throttles by. */
  record Mapped(Buffer json, String userId, String deviceId) {}

  /** The Amplitude events for one stored event, or why it cannot be sent. */
  record Mapping(List<Mapped> events, String rejection) {}

  private static final byte[] EVENT_TYPE = JsonWriter.name("event_type");
  private static final byte[] USER_ID = JsonWriter.name("user_id");
  private static final byte[] DEVICE_ID = JsonWriter.name("device_id");
  private static final byte[] TIME = JsonWriter.name("time");
  private static final byte[] INSERT_ID = JsonWriter.name("insert_id");
  private static final byte[] PLATFORM = JsonWriter.name("platform");
  private static final byte[] IDFA = JsonWriter.name("idfa");
  private static final byte[] ADID = JsonWriter.name("adid");
  private static final byte[] LOCATION_LAT = JsonWriter.name("location_lat");
  private static final byte[] LOCATION_LNG = JsonWriter.name("location_lng");
  private static final byte[] LIBRARY = JsonWriter.name("library");
  private static final byte[] SESSION_ID = JsonWriter.name("session_id");
  private static final byte[] GROUPS = JsonWriter.name("groups");
  private static final byte[] EVENT_PROPERTIES = JsonWriter.name("event_properties");
  private static final byte[] USER_PROPERTIES = JsonWriter.name("user_properties");
  private static final byte[] GROUP_PROPERTIES = JsonWriter.name("group_properties");
  private static final byte[] REVENUE = JsonWriter.name("revenue");
  private static final byte[] PRICE = JsonWriter.name("price");
  private static final byte[] QUANTITY = JsonWriter.name("quantity");
  private static final byte[] PRODUCT_ID = JsonWriter.name("productId");
  private static final byte[] REVENUE_TYPE = JsonWriter.name("revenueType");
  private static final byte[] SET = JsonWriter.name("$set");
  private static final byte[] EMPTY_OBJECT = {'{', '}'};
  private static final byte[] WEB = {'"', 'W', 'e', 'b', '"'};

  /** The context strings Amplitude takes as they are, in the order they are written. */
  private static final Field[] COPIED = {Field.IP, Field.LOCALE, Field.APP_VERSION, Field.OS_NAME, Field.OS_VERSION,
      Field.DEVICE_MODEL, Field.DEVICE_MANUFACTURER, Field.COUNTRY, Field.REGION, Field.CITY, Field.CARRIER};
  private static final byte[][] COPIED_NAMES = {JsonWriter.name("ip"), JsonWriter.name("language"),
      JsonWriter.name("app_version"), JsonWriter.name("os_name"), JsonWriter.name("os_version"),
      JsonWriter.name("device_model"), JsonWriter.name("device_manufacturer"), JsonWriter.name("country"),
      JsonWriter.name("region"), JsonWriter.name("city"), JsonWriter.name("carrier")};

  private final AmplitudeConfig config;
  private final SegmentFields fields;

  SegmentMapper(AmplitudeConfig config) {
    this.config = config;
    this.fields = new SegmentFields(config.groupTypeTrait());
  }

  /** The mapping of one event, each Amplitude event in a buffer of its own (tests; delivery uses {@link #map(Event, int, Scratch, Output)}). */
  Mapping map(Event event) {
    List<Mapped> events = new ArrayList<>();
    Scratch scratch = new Scratch();
    scratch.load(List.of(event), 0);
    String rejection = map(event, 0, scratch, (w, userId, deviceId) ->
        events.add(new Mapped(Buffer.buffer(Arrays.copyOf(w.bytes(), w.size())), userId, deviceId)));
    return rejection == null ? new Mapping(List.copyOf(events), null) : new Mapping(List.of(), rejection);
  }

  /**
   * Writes the Amplitude events of {@code event}, event {@code index} of the batch last loaded
   * into {@code scratch}, to {@code out}.
   *
   * @return null, or why the event cannot be sent (then nothing was handed to {@code out})
   */
  String map(Event event, int index, Scratch scratch, Output out) {
    if (event.type() == null) return raw(event, scratch, out);
    return segment(event, event.type(), scratch.input, scratch.from(index), scratch.to(index), scratch, scratch.cursor, out);
  }

  private String segment(Event event, String type, byte[] json, int from, int to, Scratch scratch,
      SegmentFields.Cursor cursor, Output out) {
    Values v;
    try {
      v = fields.read(json, from, to, cursor, scratch.values);
    } catch (IOException e) {
      return "the stored payload is not a JSON object";
    }
    return switch (type) {
      case "track" -> track(event, v, scratch.writer, out);
      case "identify" -> identify(event, v, scratch.writer, out);
      case "page" -> named(event, v, scratch.writer, config.pageEventName(), out);
      case "screen" -> named(event, v, scratch.writer, config.screenEventName(), out);
      case "group" -> group(event, v, scratch.writer, out);
      case "alias" -> alias(event, v, scratch.writer, out);
      default -> type.equals(type.toLowerCase(Locale.ROOT))
          ? "Segment type '" + type + "' has no Amplitude mapping"
          : segment(event, type.toLowerCase(Locale.ROOT), json, from, to, scratch, cursor, out);
    };
  }

  // ---- Segment calls ----

  private String track(Event event, Values v, JsonWriter w, Output out) {
    if (!v.isString(Field.EVENT) || v.isBlank(Field.EVENT)) return "a track event without an event name";
    w.begin().field(EVENT_TYPE);
    text(w, v, Field.EVENT);
    common(event, v, w, Field.USER_ID, Field.ANONYMOUS_ID, true);
    if (v.isObject(Field.PROPERTIES)) {
      raw(w, EVENT_PROPERTIES, v, Field.PROPERTIES);
      revenue(w, v);
    }
    return done(w, out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  private String identify(Event event, Values v, JsonWriter w, Output out) {
    w.begin().field(EVENT_TYPE).string("$identify");
    common(event, v, w, Field.USER_ID, Field.ANONYMOUS_ID, true);
    // RudderStack's browser SDK sends an identify's traits only in context.traits.
    setOf(w, USER_PROPERTIES, v, v.isObject(Field.TRAITS) ? Field.TRAITS : Field.CONTEXT_TRAITS);
    return done(w, out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  /** A page or screen: {@code Viewed <name> Page}, the name dropped (and spaces closed) when absent. */
  private String named(Event event, Values v, JsonWriter w, String template, Output out) {
    String name = v.string(Field.NAME);
    if (name == null && v.isObject(Field.PROPERTIES)) name = v.string(Field.PROPERTIES_NAME);
    String eventType = collapseSpaces(template.replace("{name}", name == null ? "" : name).trim());
    w.begin().field(EVENT_TYPE).string(eventType);
    common(event, v, w, Field.USER_ID, Field.ANONYMOUS_ID, true);
    if (v.isObject(Field.PROPERTIES)) raw(w, EVENT_PROPERTIES, v, Field.PROPERTIES);
    return done(w, out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  /**
   * A group call becomes two events, as Amplitude's own SDKs send them: an {@code $identify}
   * putting the user in the group ({@code groups} plus the group as a user property), and, when
   * there are traits, a {@code $groupidentify} setting them as group properties.
   */
  private String group(Event event, Values v, JsonWriter w, Output out) {
    String groupId = v.string(Field.GROUP_ID);
    if (groupId == null) return "a group event without a groupId";
    String groupType = config.groupType();
    if (v.isObject(Field.TRAITS) && v.string(Field.GROUP_TYPE_TRAIT) != null) groupType = v.string(Field.GROUP_TYPE_TRAIT);
    String userId = v.string(Field.USER_ID);
    String deviceId = v.string(Field.ANONYMOUS_ID);
    w.begin().field(EVENT_TYPE).string("$identify");
    common(event, v, w, Field.USER_ID, Field.ANONYMOUS_ID, false);
    w.field(GROUPS).put((byte) '{').string(groupType).put((byte) ':').string(groupId).put((byte) '}');
    w.field(USER_PROPERTIES).put((byte) '{').raw(SET).put((byte) '{').string(groupType).put((byte) ':').string(groupId)
        .put((byte) '}').put((byte) '}');
    done(w, out, userId, deviceId);
    if (!v.isObject(Field.TRAITS) || v.fieldCount(Field.TRAITS) == 0) return null;
    w.begin().field(EVENT_TYPE).string("$groupidentify");
    common(event, v, w, Field.USER_ID, Field.ANONYMOUS_ID, false, "-group");
    w.field(GROUPS).put((byte) '{').string(groupType).put((byte) ':').string(groupId).put((byte) '}');
    setOf(w, GROUP_PROPERTIES, v, Field.TRAITS);
    return done(w, out, userId, deviceId);
  }

  private String alias(Event event, Values v, JsonWriter w, Output out) {
    if (config.aliasMode() == AmplitudeConfig.AliasMode.SKIP) return null;
    String previousId = v.string(Field.PREVIOUS_ID);
    String userId = v.string(Field.USER_ID);
    if (previousId == null || userId == null) return "an alias event needs both userId and previousId";
    w.begin().field(EVENT_TYPE).string("$identify");
    common(event, v, w, Field.USER_ID, Field.PREVIOUS_ID, true);
    return done(w, out, userId, previousId);
  }

  /**
   * {@code text.replaceAll("\\s+", " ")} without a regular expression per event: each run of
   * ASCII whitespace ({@code \\s}) becomes one space.
   */
  static String collapseSpaces(String text) {
    StringBuilder out = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (isSpace(c) && (c != ' ' || (i + 1 < n && isSpace(text.charAt(i + 1))))) {
        if (out == null) out = new StringBuilder(n).append(text, 0, i);
        out.append(' ');
        while (i + 1 < n && isSpace(text.charAt(i + 1))) i++;
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  // ---- shared fields ----

  private static void common(Event event, Values v, JsonWriter w, Field userId, Field deviceId,
      boolean withIntegrationGroups) {
    common(event, v, w, userId, deviceId, withIntegrationGroups, null);
  }

  /** Ids, time, insert_id and the device, app and location fields from {@code context}. */
  private static void common(Event event, Values v, JsonWriter w, Field userId, Field deviceId,
      boolean withIntegrationGroups, String insertIdSuffix) {
    if (v.isString(userId)) text(w.field(USER_ID), v, userId);
    if (v.isString(deviceId)) text(w.field(DEVICE_ID), v, deviceId);
    w.field(TIME).number(time(v, event));
    w.field(INSERT_ID).string(insertIdSuffix == null ? event.messageId() : event.messageId() + insertIdSuffix);
    for (int i = 0; i < COPIED.length; i++) {
      if (v.isString(COPIED[i])) text(w.field(COPIED_NAMES[i]), v, COPIED[i]);
    }
    if (v.isString(Field.DEVICE_TYPE)) text(w.field(PLATFORM), v, Field.DEVICE_TYPE);
    else if (v.isString(Field.USER_AGENT)) w.field(PLATFORM).raw(WEB);
    if (v.isString(Field.ADVERTISING_ID) && v.isString(Field.OS_NAME)) {
      String os = v.string(Field.OS_NAME).toLowerCase(Locale.ROOT);
      if (os.contains("ios")) text(w.field(IDFA), v, Field.ADVERTISING_ID);
      else if (os.contains("android")) text(w.field(ADID), v, Field.ADVERTISING_ID);
    }
    if (v.isNumber(Field.LATITUDE)) raw(w, LOCATION_LAT, v, Field.LATITUDE);
    if (v.isNumber(Field.LONGITUDE)) raw(w, LOCATION_LNG, v, Field.LONGITUDE);
    if (v.isString(Field.LIBRARY_NAME)) {
      w.field(LIBRARY);
      if (v.isString(Field.LIBRARY_VERSION)) {
        // "name/version" from the two strings' escaped text: escaping is per character.
        w.raw(v.json, v.textStart(Field.LIBRARY_NAME), v.textLength(Field.LIBRARY_NAME) - 1).put((byte) '/')
            .raw(v.json, v.textStart(Field.LIBRARY_VERSION) + 1, v.textLength(Field.LIBRARY_VERSION) - 1);
      } else {
        text(w, v, Field.LIBRARY_NAME);
      }
    }
    if (v.isNumber(Field.SESSION_ID)) w.field(SESSION_ID).number(v.longValue(Field.SESSION_ID));
    if (withIntegrationGroups && v.isObject(Field.AMPLITUDE_GROUPS)) raw(w, GROUPS, v, Field.AMPLITUDE_GROUPS);
  }

  /** Amplitude's {@code time}: the common UTC shape read from the stored bytes, anything else as {@link Timestamps#millis} reads it. */
  private static long time(Values v, Event event) {
    if (v.isString(Field.TIMESTAMP)) {
      long millis = Timestamps.utcMillis(v.json, v.textStart(Field.TIMESTAMP) + 1, v.textLength(Field.TIMESTAMP) - 2);
      if (millis != Long.MIN_VALUE) return millis;
    }
    return Timestamps.millis(v.string(Field.TIMESTAMP), v.string(Field.RECEIVED_AT), event.receivedAt());
  }

  /** Segment's revenue properties become Amplitude's revenue fields (they stay in event_properties too). */
  private static void revenue(JsonWriter w, Values v) {
    if (v.isNumber(Field.REVENUE)) raw(w, REVENUE, v, Field.REVENUE);
    if (v.isNumber(Field.PRICE)) raw(w, PRICE, v, Field.PRICE);
    if (v.isNumber(Field.QUANTITY)) w.field(QUANTITY).number(v.longValue(Field.QUANTITY));
    if (v.isString(Field.PRODUCT_ID)) text(w.field(PRODUCT_ID), v, Field.PRODUCT_ID);
    else if (v.isString(Field.PRODUCT_ID_SNAKE)) text(w.field(PRODUCT_ID), v, Field.PRODUCT_ID_SNAKE);
    if (v.isString(Field.REVENUE_TYPE)) text(w.field(REVENUE_TYPE), v, Field.REVENUE_TYPE);
    else if (v.isString(Field.REVENUE_TYPE_SNAKE)) text(w.field(REVENUE_TYPE), v, Field.REVENUE_TYPE_SNAKE);
  }

  /** {@code name: {"$set": <the object field, or {}>}}. */
  private static void setOf(JsonWriter w, byte[] name, Values v, Field field) {
    w.field(name).put((byte) '{').raw(SET);
    if (v.isObject(field)) w.raw(v.json, v.rawStart(field), v.rawLength(field));
    else w.raw(EMPTY_OBJECT);
    w.put((byte) '}');
  }

  /** A string field's JSON text as stored. */
  private static void text(JsonWriter w, Values v, Field field) {
    w.raw(v.json, v.textStart(field), v.textLength(field));
  }

  private static void raw(JsonWriter w, byte[] name, Values v, Field field) {
    w.field(name).raw(v.json, v.rawStart(field), v.rawLength(field));
  }

  private static String done(JsonWriter w, Output out, String userId, String deviceId) {
    out.add(w.end(), userId, deviceId);
    return null;
  }

  // ---- raw records ----

  /**
   * A raw-topic record: an Amplitude event ({@code event_type}) or request body
   * ({@code events}) passes through; one with a Segment {@code type} is mapped like a Segment event.
   * Raw topics are rare next to Segment events: these are read as a tree.
   */
  private String raw(Event event, Scratch scratch, Output out) {
    JsonObject payload;
    try {
      payload = new JsonObject(event.payloadBytes());
    } catch (DecodeException | ClassCastException e) {
      return "the stored payload is not a JSON object";
    }
    if (payload.getValue("event_type") != null) {
      passThrough(payload, event.messageId(), scratch.writer, out);
      return null;
    }
    if (payload.getValue("events") instanceof JsonArray events) return passThroughAll(event, events, scratch.writer, out);
    if (payload.getValue("type") instanceof String type) {
      byte[] json = event.payloadBytes().getBytes();
      return segment(event, type, json, 0, json.length, scratch, null, out);
    }
    return "a raw record that is neither an Amplitude event (no event_type) nor a Segment event (no type)";
  }

  /** A record shaped like a request body ({@code {"events":[…]}}): each event passes through. */
  private static String passThroughAll(Event event, JsonArray events, JsonWriter w, Output out) {
    if (events.isEmpty()) return "a raw record with an empty events array";
    for (int i = 0; i < events.size(); i++) {
      if (!(events.getValue(i) instanceof JsonObject)) return "events[" + i + "] of the raw record is not a JSON object";
    }
    for (int i = 0; i < events.size(); i++) {
      passThrough(events.getJsonObject(i), events.size() == 1 ? event.messageId() : event.messageId() + "-" + i, w, out);
    }
    return null;
  }

  private static void passThrough(JsonObject amplitudeEvent, String insertId, JsonWriter w, Output out) {
    amplitudeEvent.remove("api_key"); // the destination's key is the one used
    if (amplitudeEvent.getValue("insert_id") == null) amplitudeEvent.put("insert_id", insertId);
    byte[] json = amplitudeEvent.toBuffer().getBytes();
    // The writer opens the object: the encoded one's text after its own '{' completes it.
    out.add(w.begin().raw(json, 1, json.length - 1), text(amplitudeEvent, "user_id"), text(amplitudeEvent, "device_id"));
  }

  private static String text(JsonObject object, String field) {
    return object.getValue(field) instanceof String s ? s : null;
  }
}
