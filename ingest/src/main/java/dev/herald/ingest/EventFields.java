package dev.herald.ingest;

import dev.herald.ingest.ScannedObject.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The top-level members of a viewed event that Herald reads or rewrites, found by field number:
 * each member's field is told once, from its name, as it is read ({@link #field}), and every
 * later look-up (the Segment rules, the times, the members Herald sets) is an array index. Keeps
 * each field's position in the view; the rules read its value there: the parsed ones as read,
 * and for the fields that must be objects, an empty object standing for any object (or
 * {@code false} for anything else), which is all the rules ask. The times the rules parse are
 * kept, so they are parsed once.
 */
final class EventFields implements EventValidator.Fields {

  static final int TYPE = 0;
  static final int MESSAGE_ID = 1;
  static final int USER_ID = 2;
  static final int ANONYMOUS_ID = 3;
  static final int EVENT = 4;
  static final int GROUP_ID = 5;
  static final int PREVIOUS_ID = 6;
  static final int TIMESTAMP = 7;
  static final int ORIGINAL_TIMESTAMP = 8;
  static final int SENT_AT = 9;
  /** The last of the fields whose values are built as they are read. */
  static final int WRITE_KEY = 10;
  static final int CONTEXT = 11;
  static final int INTEGRATIONS = 12;
  static final int PROPERTIES = 13;
  static final int TRAITS = 14;
  /** Only its position is kept: Herald sets it. */
  static final int RECEIVED_AT = 15;

  /** Each field's member name, by field number. */
  static final String[] NAMES = {"type", "messageId", "userId", "anonymousId", "event", "groupId", "previousId",
      "timestamp", "originalTimestamp", "sentAt", "writeKey", "context", "integrations", "properties", "traits",
      "receivedAt"};

  private static final JsonObject AN_OBJECT = new JsonObject();

  private final ScannedObject view;
  /** Each field's position in the view plus one, so that a new array (all zero) holds none. */
  private final int[] positions = new int[NAMES.length];
  private Instant timestamp;
  private Instant originalTimestamp;
  private Instant sentAt;

  /** The fields of an event being read into {@code view}, none yet. */
  EventFields(ScannedObject view) {
    this.view = view;
  }

  /** The fields of a view read some other way than by {@link JsonReading} (which tells them as it reads). */
  static EventFields of(ScannedObject event) {
    EventFields fields = new EventFields(event);
    for (int i = 0; i < event.size(); i++) {
      int field = field(event.name(i));
      if (field >= 0) {
        fields.positions[field] = i + 1;
      }
    }
    return fields;
  }

  /**
   * The field a member name stands for, or -1 for a member Herald neither reads nor sets. Told
   * once per member as the event is read.
   */
  static int field(String name) {
    return switch (name) {
      case "type" -> TYPE;
      case "messageId" -> MESSAGE_ID;
      case "userId" -> USER_ID;
      case "anonymousId" -> ANONYMOUS_ID;
      case "event" -> EVENT;
      case "groupId" -> GROUP_ID;
      case "previousId" -> PREVIOUS_ID;
      case "timestamp" -> TIMESTAMP;
      case "originalTimestamp" -> ORIGINAL_TIMESTAMP;
      case "sentAt" -> SENT_AT;
      case "writeKey" -> WRITE_KEY;
      case "context" -> CONTEXT;
      case "integrations" -> INTEGRATIONS;
      case "properties" -> PROPERTIES;
      case "traits" -> TRAITS;
      case "receivedAt" -> RECEIVED_AT;
      default -> -1;
    };
  }

  /** Whether the field's value is built as it is read (type … sentAt, and writeKey). */
  static boolean parsed(int field) {
    return field >= 0 && field <= WRITE_KEY;
  }

  /**
   * Sets a field's member of the view: in place when present (removed or not, so a repeated name
   * keeps its first position and takes this value), else appended without looking the name up.
   */
  void set(int field, Kind kind, Object value, int start, int end) {
    int at = positions[field] - 1;
    if (at >= 0) {
      view.replace(at, kind, value, start, end);
    } else {
      positions[field] = view.append(NAMES[field], kind, value, start, end) + 1;
    }
  }

  /** The position of the field's member in the view, or -1 (a removed writeKey still has one). */
  int position(int field) {
    return positions[field] - 1;
  }

  /** The value the rules read: null when absent, JSON null, removed or set by Herald as bytes. */
  @Override
  public Object get(int field) {
    int at = positions[field] - 1;
    if (at < 0) {
      return null;
    }
    Kind kind = view.kind(at);
    Object value = kind == Kind.REMOVED || kind == Kind.BYTES ? null : view.valueAt(at);
    if (field >= CONTEXT && field <= TRAITS && value != null) {
      return value == ScannedObject.NOT_OBJECT ? Boolean.FALSE : AN_OBJECT;
    }
    return value;
  }

  String string(int field) {
    return get(field) instanceof String s ? s : null;
  }

  /** A time field's instant, once {@link EventValidator#timeProblem(EventFields)} found it valid; else null. */
  Instant time(int field) {
    return switch (field) {
      case TIMESTAMP -> timestamp;
      case ORIGINAL_TIMESTAMP -> originalTimestamp;
      case SENT_AT -> sentAt;
      default -> throw new IllegalArgumentException("not a time field: " + NAMES[field]);
    };
  }

  void setTime(int field, Instant instant) {
    switch (field) {
      case TIMESTAMP -> timestamp = instant;
      case ORIGINAL_TIMESTAMP -> originalTimestamp = instant;
      case SENT_AT -> sentAt = instant;
      default -> throw new IllegalArgumentException("not a time field: " + NAMES[field]);
    }
  }
}
