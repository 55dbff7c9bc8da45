package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one stored event into the Amplitude events that carry it: Segment-spec events are mapped
 * (track, identify, page, screen, group, alias), raw-topic records that already are Amplitude
 * events pass through. Every Amplitude event gets an {@code insert_id} derived from the messageId,
 * so a re-delivery within Amplitude's 7-day window has no effect.
 */
final class SegmentMapper {

  /** The Amplitude events for one stored event, or why it cannot be sent. */
  record Mapping(List<JsonObject> events, String rejection) {
    static Mapping of(JsonObject... events) {
      return new Mapping(List.of(events), null);
    }

    static Mapping rejected(String reason) {
      return new Mapping(List.of(), reason);
    }
  }

  private final AmplitudeConfig config;

  SegmentMapper(AmplitudeConfig config) {
    this.config = config;
  }

  Mapping map(Event event) {
    JsonObject payload;
    try {
      payload = new JsonObject(event.payloadBytes());
    } catch (DecodeException | ClassCastException e) {
      return Mapping.rejected("the stored payload is not a JSON object");
    }
    String type = event.type() != null ? event.type() : payload.getValue("type") instanceof String s ? s : null;
    if (event.type() == null) {
      if (payload.getValue("event_type") != null) return passThrough(event, payload);
      if (payload.getValue("events") instanceof JsonArray array) return passThroughAll(event, array);
    }
    if (type == null) {
      return Mapping.rejected("a raw record that is neither an Amplitude event (no event_type) nor a Segment event (no type)");
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "track" -> track(event, payload);
      case "identify" -> identify(event, payload);
      case "page" -> named(event, payload, config.pageEventName());
      case "screen" -> named(event, payload, config.screenEventName());
      case "group" -> group(event, payload);
      case "alias" -> alias(event, payload);
      default -> Mapping.rejected("Segment type '" + type + "' has no Amplitude mapping");
    };
  }

  // ---- Segment calls ----

  private Mapping track(Event event, JsonObject payload) {
    String name = string(payload, "event");
    if (name == null || name.isBlank()) return Mapping.rejected("a track event without an event name");
    JsonObject out = common(event, payload, name);
    JsonObject properties = object(payload, "properties");
    if (properties != null) {
      out.put("event_properties", properties);
      revenue(properties, out);
    }
    return Mapping.of(out);
  }

  private Mapping identify(Event event, JsonObject payload) {
    JsonObject out = common(event, payload, "$identify");
    JsonObject traits = object(payload, "traits");
    out.put("user_properties", new JsonObject().put("$set", traits == null ? new JsonObject() : traits));
    return Mapping.of(out);
  }

  /** A page or screen: {@code Viewed <name> Page}, the name dropped (and spaces closed) when absent. */
  private Mapping named(Event event, JsonObject payload, String template) {
    JsonObject properties = object(payload, "properties");
    String name = string(payload, "name");
    if (name == null && properties != null) name = string(properties, "name");
    String eventType = template.replace("{name}", name == null ? "" : name).trim().replaceAll("\\s+", " ");
    JsonObject out = common(event, payload, eventType);
    if (properties != null) out.put("event_properties", properties);
    return Mapping.of(out);
  }

  /**
   * A group call becomes two events, as Amplitude's own SDKs send them: an {@code $identify}
   * putting the user in the group ({@code groups} plus the group as a user property), and, when
   * there are traits, a {@code $groupidentify} setting them as group properties.
   */
  private Mapping group(Event event, JsonObject payload) {
    String groupId = string(payload, "groupId");
    if (groupId == null) return Mapping.rejected("a group event without a groupId");
    JsonObject traits = object(payload, "traits");
    String groupType = config.groupType();
    if (config.groupTypeTrait() != null && traits != null && string(traits, config.groupTypeTrait()) != null) {
      groupType = string(traits, config.groupTypeTrait());
    }
    JsonObject membership = common(event, payload, "$identify")
        .put("groups", new JsonObject().put(groupType, groupId))
        .put("user_properties", new JsonObject().put("$set", new JsonObject().put(groupType, groupId)));
    if (traits == null || traits.isEmpty()) return Mapping.of(membership);
    JsonObject properties = common(event, payload, "$groupidentify")
        .put("insert_id", event.messageId() + "-group")
        .put("groups", new JsonObject().put(groupType, groupId))
        .put("group_properties", new JsonObject().put("$set", traits));
    return Mapping.of(membership, properties);
  }

  private Mapping alias(Event event, JsonObject payload) {
    if (config.aliasMode() == AmplitudeConfig.AliasMode.SKIP) return new Mapping(List.of(), null);
    String previousId = string(payload, "previousId");
    if (previousId == null || string(payload, "userId") == null) {
      return Mapping.rejected("an alias event needs both userId and previousId");
    }
    JsonObject out = common(event, payload, "$identify");
    out.put("device_id", previousId);
    return Mapping.of(out);
  }

  // ---- shared fields ----

  /** Ids, time, insert_id and the device, app and location fields from {@code context}. */
  private JsonObject common(Event event, JsonObject payload, String eventType) {
    JsonObject out = new JsonObject().put("event_type", eventType);
    putIfPresent(out, "user_id", string(payload, "userId"));
    putIfPresent(out, "device_id", string(payload, "anonymousId"));
    out.put("time", timeMillis(event, payload));
    out.put("insert_id", event.messageId());
    JsonObject context = object(payload, "context");
    if (context != null) context(context, out);
    JsonObject amplitude = amplitudeIntegration(payload);
    if (amplitude != null) {
      Object sessionId = amplitude.getValue("session_id");
      if (sessionId instanceof Number n) out.put("session_id", n.longValue());
      if (amplitude.getValue("groups") instanceof JsonObject groups) out.put("groups", groups);
    }
    return out;
  }

  private static void context(JsonObject context, JsonObject out) {
    putIfPresent(out, "ip", string(context, "ip"));
    putIfPresent(out, "language", string(context, "locale"));
    JsonObject app = object(context, "app");
    if (app != null) putIfPresent(out, "app_version", string(app, "version"));
    JsonObject os = object(context, "os");
    String osName = null;
    if (os != null) {
      osName = string(os, "name");
      putIfPresent(out, "os_name", osName);
      putIfPresent(out, "os_version", string(os, "version"));
    }
    JsonObject device = object(context, "device");
    String platform = null;
    if (device != null) {
      putIfPresent(out, "device_model", string(device, "model"));
      putIfPresent(out, "device_manufacturer", string(device, "manufacturer"));
      platform = string(device, "type");
      String advertisingId = string(device, "advertisingId");
      if (advertisingId != null && osName != null) {
        String os2 = osName.toLowerCase(Locale.ROOT);
        if (os2.contains("ios")) out.put("idfa", advertisingId);
        else if (os2.contains("android")) out.put("adid", advertisingId);
      }
    }
    if (platform == null && string(context, "userAgent") != null) platform = "Web";
    putIfPresent(out, "platform", platform);
    JsonObject location = object(context, "location");
    if (location != null) {
      putIfPresent(out, "country", string(location, "country"));
      putIfPresent(out, "region", string(location, "region"));
      putIfPresent(out, "city", string(location, "city"));
      if (location.getValue("latitude") instanceof Number lat) out.put("location_lat", lat.doubleValue());
      if (location.getValue("longitude") instanceof Number lng) out.put("location_lng", lng.doubleValue());
    }
    JsonObject network = object(context, "network");
    if (network != null) putIfPresent(out, "carrier", string(network, "carrier"));
    JsonObject library = object(context, "library");
    if (library != null && string(library, "name") != null) {
      String version = string(library, "version");
      out.put("library", string(library, "name") + (version == null ? "" : "/" + version));
    }
  }

  /** Segment's revenue properties become Amplitude's revenue fields (they stay in event_properties too). */
  private static void revenue(JsonObject properties, JsonObject out) {
    if (properties.getValue("revenue") instanceof Number revenue) out.put("revenue", revenue.doubleValue());
    if (properties.getValue("price") instanceof Number price) out.put("price", price.doubleValue());
    if (properties.getValue("quantity") instanceof Number quantity) out.put("quantity", quantity.longValue());
    String productId = firstString(properties, "productId", "product_id");
    if (productId != null) out.put("productId", productId);
    String revenueType = firstString(properties, "revenueType", "revenue_type");
    if (revenueType != null) out.put("revenueType", revenueType);
  }

  /** The corrected {@code timestamp} in ms; else when Herald received the event. */
  private static long timeMillis(Event event, JsonObject payload) {
    for (String field : new String[] {"timestamp", "receivedAt"}) {
      String text = string(payload, field);
      if (text == null) continue;
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
      } catch (DateTimeParseException e) {
        // not an ISO-8601 date-time with offset: try the next field
      }
    }
    return event.receivedAt().toEpochMilli();
  }

  /** {@code integrations.Amplitude} (any case) when it is an object: Segment's way to pass session_id. */
  private static JsonObject amplitudeIntegration(JsonObject payload) {
    JsonObject integrations = object(payload, "integrations");
    if (integrations == null) return null;
    for (Map.Entry<String, Object> entry : integrations) {
      if (entry.getKey().equalsIgnoreCase("amplitude") && entry.getValue() instanceof JsonObject o) return o;
    }
    return null;
  }

  // ---- raw records ----

  private static Mapping passThrough(Event event, JsonObject amplitudeEvent) {
    return Mapping.of(prepared(amplitudeEvent, event.messageId()));
  }

  /** A record shaped like a request body ({@code {"events":[…]}}): each event passes through. */
  private static Mapping passThroughAll(Event event, JsonArray events) {
    if (events.isEmpty()) return Mapping.rejected("a raw record with an empty events array");
    JsonObject[] out = new JsonObject[events.size()];
    for (int i = 0; i < events.size(); i++) {
      if (!(events.getValue(i) instanceof JsonObject e)) {
        return Mapping.rejected("events[" + i + "] of the raw record is not a JSON object");
      }
      out[i] = prepared(e, events.size() == 1 ? event.messageId() : event.messageId() + "-" + i);
    }
    return Mapping.of(out);
  }

  private static JsonObject prepared(JsonObject amplitudeEvent, String insertId) {
    amplitudeEvent.remove("api_key"); // the destination's key is the one used
    if (amplitudeEvent.getValue("insert_id") == null) amplitudeEvent.put("insert_id", insertId);
    return amplitudeEvent;
  }

  // ---- JSON helpers ----

  private static String string(JsonObject object, String field) {
    return object.getValue(field) instanceof String s ? s : null;
  }

  private static String firstString(JsonObject object, String... fields) {
    for (String field : fields) {
      String value = string(object, field);
      if (value != null) return value;
    }
    return null;
  }

  private static JsonObject object(JsonObject object, String field) {
    return object.getValue(field) instanceof JsonObject o ? o : null;
  }

  private static void putIfPresent(JsonObject out, String field, String value) {
    if (value != null) out.put(field, value);
  }
}
