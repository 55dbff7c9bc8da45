package dev.herald.destination.amplitude;

import dev.herald.destination.amplitude.LegacySegmentFields.Field;
import dev.herald.destination.amplitude.LegacySegmentFields.Values;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Herald's Amplitude mapping as it was before events were encoded straight into request bodies
 * (the mapper), kept unchanged as the reference of {@link StreamingEncoderDifferentialTest}
 * and of {@link EncodeBenchmark}.
 *
 * <p>Turns one stored event into the Amplitude events that carry it: Segment-spec events are mapped
 * (track, identify, page, screen, group, alias), raw-topic records that already are Amplitude
 * events pass through. Every Amplitude event gets an {@code insert_id} derived from the messageId,
 * so a re-delivery within Amplitude's 7-day window has no effect. Segment events are read in one
 * streaming pass ({@link LegacySegmentFields}) and written straight to JSON: properties and traits are
 * copied as they were stored, never parsed into a tree and encoded again.
 */
final class LegacySegmentMapper {

  /** One Amplitude event, encoded, with the ids Amplitude throttles by. */
  record Mapped(Buffer json, String userId, String deviceId) {}

  /** The Amplitude events for one stored event, or why it cannot be sent. */
  record Mapping(List<Mapped> events, String rejection) {
    static Mapping of(Mapped... events) {
      return new Mapping(List.of(events), null);
    }

    static Mapping rejected(String reason) {
      return new Mapping(List.of(), reason);
    }
  }

  private final AmplitudeConfig config;
  private final LegacySegmentFields fields;

  LegacySegmentMapper(AmplitudeConfig config) {
    this.config = config;
    this.fields = new LegacySegmentFields(config.groupTypeTrait());
  }

  Mapping map(Event event) {
    if (event.type() == null) return raw(event);
    return segment(event, event.type());
  }

  private Mapping segment(Event event, String type) {
    Values v;
    try {
      v = fields.read(event.payloadBytes().getBytes());
    } catch (IOException e) {
      return Mapping.rejected("the stored payload is not a JSON object");
    }
    return switch (type) {
      case "track" -> track(event, v);
      case "identify" -> identify(event, v);
      case "page" -> named(event, v, config.pageEventName());
      case "screen" -> named(event, v, config.screenEventName());
      case "group" -> group(event, v);
      case "alias" -> alias(event, v);
      default -> type.equals(type.toLowerCase(Locale.ROOT))
          ? Mapping.rejected("Segment type '" + type + "' has no Amplitude mapping")
          : segment(event, type.toLowerCase(Locale.ROOT));
    };
  }

  // ---- Segment calls ----

  private Mapping track(Event event, Values v) {
    String name = v.string(Field.EVENT);
    if (name == null || name.isBlank()) return Mapping.rejected("a track event without an event name");
    LegacyJsonWriter out = common(event, v, name, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
    if (v.isObject(Field.PROPERTIES)) {
      raw(out, "event_properties", v, Field.PROPERTIES);
      revenue(out, v);
    }
    return done(out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  private Mapping identify(Event event, Values v) {
    LegacyJsonWriter out = common(event, v, "$identify", v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
    // RudderStack's browser SDK sends an identify's traits only in context.traits.
    setOf(out, "user_properties", v, v.isObject(Field.TRAITS) ? Field.TRAITS : Field.CONTEXT_TRAITS);
    return done(out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  /** A page or screen: {@code Viewed <name> Page}, the name dropped (and spaces closed) when absent. */
  private Mapping named(Event event, Values v, String template) {
    String name = v.string(Field.NAME);
    if (name == null && v.isObject(Field.PROPERTIES)) name = v.string(Field.PROPERTIES_NAME);
    String eventType = template.replace("{name}", name == null ? "" : name).trim().replaceAll("\\s+", " ");
    LegacyJsonWriter out = common(event, v, eventType, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
    if (v.isObject(Field.PROPERTIES)) raw(out, "event_properties", v, Field.PROPERTIES);
    return done(out, v.string(Field.USER_ID), v.string(Field.ANONYMOUS_ID));
  }

  /**
   * A group call becomes two events, as Amplitude's own SDKs send them: an {@code $identify}
   * putting the user in the group ({@code groups} plus the group as a user property), and, when
   * there are traits, a {@code $groupidentify} setting them as group properties.
   */
  private Mapping group(Event event, Values v) {
    String groupId = v.string(Field.GROUP_ID);
    if (groupId == null) return Mapping.rejected("a group event without a groupId");
    String groupType = config.groupType();
    if (v.isObject(Field.TRAITS) && v.string(Field.GROUP_TYPE_TRAIT) != null) groupType = v.string(Field.GROUP_TYPE_TRAIT);
    String userId = v.string(Field.USER_ID);
    String deviceId = v.string(Field.ANONYMOUS_ID);
    Buffer membership = common(event, v, "$identify", userId, deviceId, event.messageId(), false)
        .pair("groups", groupType, groupId)
        .nested("user_properties", "$set", groupType, groupId)
        .end();
    Mapped member = new Mapped(membership, userId, deviceId);
    if (!v.isObject(Field.TRAITS) || v.fieldCount(Field.TRAITS) == 0) return Mapping.of(member);
    LegacyJsonWriter properties = common(event, v, "$groupidentify", userId, deviceId, event.messageId() + "-group", false)
        .pair("groups", groupType, groupId);
    setOf(properties, "group_properties", v, Field.TRAITS);
    return Mapping.of(member, new Mapped(properties.end(), userId, deviceId));
  }

  private Mapping alias(Event event, Values v) {
    if (config.aliasMode() == AmplitudeConfig.AliasMode.SKIP) return new Mapping(List.of(), null);
    String previousId = v.string(Field.PREVIOUS_ID);
    String userId = v.string(Field.USER_ID);
    if (previousId == null || userId == null) return Mapping.rejected("an alias event needs both userId and previousId");
    return done(common(event, v, "$identify", userId, previousId), userId, previousId);
  }

  // ---- shared fields ----

  private LegacyJsonWriter common(Event event, Values v, String eventType, String userId, String deviceId) {
    return common(event, v, eventType, userId, deviceId, event.messageId(), true);
  }

  /** Ids, time, insert_id and the device, app and location fields from {@code context}. */
  private static LegacyJsonWriter common(Event event, Values v, String eventType, String userId, String deviceId,
      String insertId, boolean withIntegrationGroups) {
    LegacyJsonWriter out = new LegacyJsonWriter(v.json.length)
        .string("event_type", eventType)
        .string("user_id", userId)
        .string("device_id", deviceId)
        .number("time", Timestamps.millis(v.string(Field.TIMESTAMP), v.string(Field.RECEIVED_AT), event.receivedAt()))
        .string("insert_id", insertId)
        .string("ip", v.string(Field.IP))
        .string("language", v.string(Field.LOCALE))
        .string("app_version", v.string(Field.APP_VERSION))
        .string("os_name", v.string(Field.OS_NAME))
        .string("os_version", v.string(Field.OS_VERSION))
        .string("device_model", v.string(Field.DEVICE_MODEL))
        .string("device_manufacturer", v.string(Field.DEVICE_MANUFACTURER))
        .string("country", v.string(Field.COUNTRY))
        .string("region", v.string(Field.REGION))
        .string("city", v.string(Field.CITY))
        .string("carrier", v.string(Field.CARRIER));
    String platform = v.string(Field.DEVICE_TYPE);
    if (platform == null && v.string(Field.USER_AGENT) != null) platform = "Web";
    out.string("platform", platform);
    String advertisingId = v.string(Field.ADVERTISING_ID);
    String osName = v.string(Field.OS_NAME);
    if (advertisingId != null && osName != null) {
      String os = osName.toLowerCase(Locale.ROOT);
      if (os.contains("ios")) out.string("idfa", advertisingId);
      else if (os.contains("android")) out.string("adid", advertisingId);
    }
    if (v.isNumber(Field.LATITUDE)) raw(out, "location_lat", v, Field.LATITUDE);
    if (v.isNumber(Field.LONGITUDE)) raw(out, "location_lng", v, Field.LONGITUDE);
    String library = v.string(Field.LIBRARY_NAME);
    if (library != null) {
      String version = v.string(Field.LIBRARY_VERSION);
      out.string("library", version == null ? library : library + "/" + version);
    }
    if (v.isNumber(Field.SESSION_ID)) out.number("session_id", v.longValue(Field.SESSION_ID));
    if (withIntegrationGroups && v.isObject(Field.AMPLITUDE_GROUPS)) raw(out, "groups", v, Field.AMPLITUDE_GROUPS);
    return out;
  }

  /** Segment's revenue properties become Amplitude's revenue fields (they stay in event_properties too). */
  private static void revenue(LegacyJsonWriter out, Values v) {
    if (v.isNumber(Field.REVENUE)) raw(out, "revenue", v, Field.REVENUE);
    if (v.isNumber(Field.PRICE)) raw(out, "price", v, Field.PRICE);
    if (v.isNumber(Field.QUANTITY)) out.number("quantity", v.longValue(Field.QUANTITY));
    String productId = v.string(Field.PRODUCT_ID) != null ? v.string(Field.PRODUCT_ID) : v.string(Field.PRODUCT_ID_SNAKE);
    out.string("productId", productId);
    String revenueType = v.string(Field.REVENUE_TYPE) != null ? v.string(Field.REVENUE_TYPE) : v.string(Field.REVENUE_TYPE_SNAKE);
    out.string("revenueType", revenueType);
  }

  /** {@code name: {"$set": <the object field, or {}>}}. */
  private static void setOf(LegacyJsonWriter out, String name, Values v, Field field) {
    if (v.isObject(field)) {
      out.wrapped(name, "$set", v.json, v.rawStart(field), v.rawLength(field));
    } else {
      out.wrapped(name, "$set", EMPTY_OBJECT, 0, EMPTY_OBJECT.length);
    }
  }

  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private static void raw(LegacyJsonWriter out, String name, Values v, Field field) {
    out.raw(name, v.json, v.rawStart(field), v.rawLength(field));
  }

  private static Mapping done(LegacyJsonWriter out, String userId, String deviceId) {
    return Mapping.of(new Mapped(out.end(), userId, deviceId));
  }

  // ---- raw records ----

  /**
   * A raw-topic record: an Amplitude event ({@code event_type}) or request body
   * ({@code events}) passes through; one with a Segment {@code type} is mapped like a Segment event.
   */
  private Mapping raw(Event event) {
    JsonObject payload;
    try {
      payload = new JsonObject(event.payloadBytes());
    } catch (DecodeException | ClassCastException e) {
      return Mapping.rejected("the stored payload is not a JSON object");
    }
    if (payload.getValue("event_type") != null) return Mapping.of(prepared(payload, event.messageId()));
    if (payload.getValue("events") instanceof JsonArray events) return passThroughAll(event, events);
    if (payload.getValue("type") instanceof String type) return segment(event, type);
    return Mapping.rejected("a raw record that is neither an Amplitude event (no event_type) nor a Segment event (no type)");
  }

  /** A record shaped like a request body ({@code {"events":[…]}}): each event passes through. */
  private static Mapping passThroughAll(Event event, JsonArray events) {
    if (events.isEmpty()) return Mapping.rejected("a raw record with an empty events array");
    Mapped[] out = new Mapped[events.size()];
    for (int i = 0; i < events.size(); i++) {
      if (!(events.getValue(i) instanceof JsonObject e)) {
        return Mapping.rejected("events[" + i + "] of the raw record is not a JSON object");
      }
      out[i] = prepared(e, events.size() == 1 ? event.messageId() : event.messageId() + "-" + i);
    }
    return Mapping.of(out);
  }

  private static Mapped prepared(JsonObject amplitudeEvent, String insertId) {
    amplitudeEvent.remove("api_key"); // the destination's key is the one used
    if (amplitudeEvent.getValue("insert_id") == null) amplitudeEvent.put("insert_id", insertId);
    return new Mapped(amplitudeEvent.toBuffer(), text(amplitudeEvent, "user_id"), text(amplitudeEvent, "device_id"));
  }

  private static String text(JsonObject object, String field) {
    return object.getValue(field) instanceof String s ? s : null;
  }
}
