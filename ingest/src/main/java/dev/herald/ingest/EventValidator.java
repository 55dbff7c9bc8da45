package dev.herald.ingest;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The Segment-spec rules an event must meet to be accepted. Each check names the field and
 * the rule it broke, so a client can fix the event from the message alone.
 */
final class EventValidator {

  static final int MAX_MESSAGE_ID_LENGTH = 100;
  private static final int[] OBJECT_FIELDS = {EventFields.CONTEXT, EventFields.INTEGRATIONS, EventFields.PROPERTIES,
      EventFields.TRAITS};
  private static final int[] IDENTITY_FIELDS = {EventFields.USER_ID, EventFields.ANONYMOUS_ID};
  private static final int[] TIME_FIELDS = {EventFields.TIMESTAMP, EventFields.ORIGINAL_TIMESTAMP,
      EventFields.SENT_AT};

  private static final int TRACK = 0;
  private static final int GROUP = 1;
  private static final int ALIAS = 2;
  private static final int OTHER = 3;

  private EventValidator() {}

  /** An event's top-level fields by {@link EventFields} number (null when absent or JSON null). */
  @FunctionalInterface
  interface Fields {
    Object get(int field);
  }

  /** Why the event is invalid, or null when it is valid. The event's type is already set. */
  static String problem(Fields event) {
    Object type = event.get(EventFields.TYPE);
    if (type == null) {
      return "\"type\" is required on every batch item (one of " + typeList() + ")";
    }
    // One switch tells the type and checks it (the names typeList() gives).
    int kind = type instanceof String typeName ? switch (typeName) {
      case "track" -> TRACK;
      case "group" -> GROUP;
      case "alias" -> ALIAS;
      case "identify", "page", "screen" -> OTHER;
      default -> -1;
    } : -1;
    if (kind < 0) {
      return "\"type\" must be one of " + typeList() + ", got " + quoted(type);
    }
    String ids = identityProblem(event);
    if (ids != null) {
      return ids;
    }
    String typeSpecific = switch (kind) {
      case TRACK -> requireText(event, EventFields.EVENT, "track");
      case GROUP -> requireText(event, EventFields.GROUP_ID, "group");
      case ALIAS -> {
        String previous = requireId(event, EventFields.PREVIOUS_ID, "alias");
        yield previous != null ? previous : requireId(event, EventFields.USER_ID, "alias");
      }
      default -> null;
    };
    if (typeSpecific != null) {
      return typeSpecific;
    }
    Object messageId = event.get(EventFields.MESSAGE_ID);
    if (messageId != null) {
      if (!(messageId instanceof String id)) {
        return "\"messageId\" must be a string";
      }
      if (id.length() >= MAX_MESSAGE_ID_LENGTH) {
        return "\"messageId\" must be shorter than " + MAX_MESSAGE_ID_LENGTH + " characters, got "
            + id.length();
      }
    }
    for (int field : OBJECT_FIELDS) {
      Object value = event.get(field);
      if (value != null && !(value instanceof JsonObject)) {
        return "\"" + EventFields.NAMES[field] + "\" must be an object";
      }
    }
    return null;
  }

  /**
   * Every time field the client sent must be an ISO-8601 date-time with a zone. Each one read is
   * kept in {@code event}, so it is parsed once.
   */
  static String timeProblem(EventFields event) {
    for (int field : TIME_FIELDS) {
      Object value = event.get(field);
      if (value != null) {
        Instant instant = value instanceof String text ? Timestamps.parse(text) : null;
        if (instant == null) {
          return timeMessage(field, value);
        }
        event.setTime(field, instant);
      }
    }
    return null;
  }

  private static String timeMessage(int field, Object value) {
    return "\"" + EventFields.NAMES[field] + "\" must be an ISO-8601 date-time with a time zone, such as "
        + "2026-11-23T10:00:00.000Z; got " + quoted(value);
  }

  /** userId or anonymousId as a non-empty string (or a number, as some libraries send). */
  static String identityOf(Fields event, int field) {
    return identity(event.get(field));
  }

  /** A non-empty string, or a number as text; else null. */
  static String identity(Object value) {
    if (value instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    return value instanceof Number n ? n.toString() : null;
  }

  private static String identityProblem(Fields event) {
    for (int field : IDENTITY_FIELDS) {
      Object value = event.get(field);
      if (value != null && !(value instanceof String) && !(value instanceof Number)) {
        return "\"" + EventFields.NAMES[field] + "\" must be a string";
      }
    }
    if (identityOf(event, EventFields.USER_ID) == null && identityOf(event, EventFields.ANONYMOUS_ID) == null) {
      return "\"userId\" or \"anonymousId\" is required";
    }
    return null;
  }

  private static String requireText(Fields event, int field, String type) {
    Object value = event.get(field);
    if (!(value instanceof String s) || s.isEmpty()) {
      return "\"" + EventFields.NAMES[field] + "\" is required on " + type + " events (a non-empty string)";
    }
    return null;
  }

  private static String requireId(Fields event, int field, String type) {
    return identityOf(event, field) == null
        ? "\"" + EventFields.NAMES[field] + "\" is required on " + type + " events"
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
