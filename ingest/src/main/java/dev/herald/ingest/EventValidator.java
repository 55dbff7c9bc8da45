package dev.herald.ingest;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The Segment-spec rules an event must meet to be accepted. Each check names the field and
 * the rule it broke, so a client can fix the event from the message alone.
 */
final class EventValidator {

  static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");
  static final int MAX_MESSAGE_ID_LENGTH = 100;
  private static final String[] OBJECT_FIELDS = {"context", "integrations", "properties", "traits"};
  private static final String[] IDENTITY_FIELDS = {"userId", "anonymousId"};
  private static final String[] TIME_FIELDS = {"timestamp", "originalTimestamp", "sentAt"};

  private EventValidator() {}

  /** An event's top-level fields by name (null when absent or JSON null). */
  @FunctionalInterface
  interface Fields {
    Object get(String name);
  }

  static String problem(JsonObject event) {
    return problem((Fields) event::getValue);
  }

  static String timeProblem(JsonObject event) {
    return timeProblem((Fields) event::getValue);
  }

  static String identityOf(JsonObject event, String field) {
    return identityOf((Fields) event::getValue, field);
  }

  /** Why the event is invalid, or null when it is valid. The event's type is already set. */
  static String problem(Fields event) {
    Object type = event.get("type");
    if (type == null) {
      return "\"type\" is required on every batch item (one of " + typeList() + ")";
    }
    if (!(type instanceof String typeName) || !TYPES.contains(typeName)) {
      return "\"type\" must be one of " + typeList() + ", got " + quoted(type);
    }
    String ids = identityProblem(event);
    if (ids != null) {
      return ids;
    }
    String typeSpecific = switch (typeName) {
      case "track" -> requireText(event, "event", "track");
      case "group" -> requireText(event, "groupId", "group");
      case "alias" -> {
        String previous = requireId(event, "previousId", "alias");
        yield previous != null ? previous : requireId(event, "userId", "alias");
      }
      default -> null;
    };
    if (typeSpecific != null) {
      return typeSpecific;
    }
    Object messageId = event.get("messageId");
    if (messageId != null) {
      if (!(messageId instanceof String id)) {
        return "\"messageId\" must be a string";
      }
      if (id.length() >= MAX_MESSAGE_ID_LENGTH) {
        return "\"messageId\" must be shorter than " + MAX_MESSAGE_ID_LENGTH + " characters, got "
            + id.length();
      }
    }
    for (String field : OBJECT_FIELDS) {
      Object value = event.get(field);
      if (value != null && !(value instanceof JsonObject)) {
        return "\"" + field + "\" must be an object";
      }
    }
    return null;
  }

  /** Every time field the client sent must be an ISO-8601 date-time with a zone. */
  static String timeProblem(Fields event) {
    for (String field : TIME_FIELDS) {
      Object value = event.get(field);
      if (value != null && (!(value instanceof String text) || Timestamps.parse(text) == null)) {
        return "\"" + field + "\" must be an ISO-8601 date-time with a time zone, such as "
            + "2026-11-23T10:00:00.000Z; got " + quoted(value);
      }
    }
    return null;
  }

  /** userId or anonymousId as a non-empty string (or a number, as some libraries send). */
  static String identityOf(Fields event, String field) {
    Object value = event.get(field);
    if (value instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    return value instanceof Number n ? n.toString() : null;
  }

  private static String identityProblem(Fields event) {
    for (String field : IDENTITY_FIELDS) {
      Object value = event.get(field);
      if (value != null && !(value instanceof String) && !(value instanceof Number)) {
        return "\"" + field + "\" must be a string";
      }
    }
    if (identityOf(event, "userId") == null && identityOf(event, "anonymousId") == null) {
      return "\"userId\" or \"anonymousId\" is required";
    }
    return null;
  }

  private static String requireText(Fields event, String field, String type) {
    Object value = event.get(field);
    if (!(value instanceof String s) || s.isEmpty()) {
      return "\"" + field + "\" is required on " + type + " events (a non-empty string)";
    }
    return null;
  }

  private static String requireId(Fields event, String field, String type) {
    return identityOf(event, field) == null
        ? "\"" + field + "\" is required on " + type + " events"
        : null;
  }

  private static String typeList() {
    return "track, identify, page, screen, group, alias";
  }

  static String quoted(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 40) {
      text = text.substring(0, 40) + "…";
    }
    return value instanceof String ? "'" + text + "'" : text;
  }
}
