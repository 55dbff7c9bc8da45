package dev.herald.ingest;

import dev.herald.ingest.ScannedObject.Kind;
import io.vertx.core.json.JsonObject;

/**
 * The top-level fields of a viewed event that the Segment rules read, gathered in one pass over
 * its members: the parsed ones as read, and for the fields that must be objects, an empty object
 * standing for any object (or {@code false} for anything else), which is all the rules ask.
 */
final class EventFields implements EventValidator.Fields {

  private static final JsonObject AN_OBJECT = new JsonObject();
  private static final int TYPE = 0;
  private static final int MESSAGE_ID = 1;
  private static final int USER_ID = 2;
  private static final int ANONYMOUS_ID = 3;
  private static final int EVENT = 4;
  private static final int GROUP_ID = 5;
  private static final int PREVIOUS_ID = 6;
  private static final int TIMESTAMP = 7;
  private static final int ORIGINAL_TIMESTAMP = 8;
  private static final int SENT_AT = 9;
  private static final int CONTEXT = 10;
  private static final int INTEGRATIONS = 11;
  private static final int PROPERTIES = 12;
  private static final int TRAITS = 13;

  private final Object[] slots = new Object[14];

  EventFields(ScannedObject event) {
    for (int i = 0; i < event.size(); i++) {
      Kind kind = event.kind(i);
      if (kind == Kind.REMOVED || kind == Kind.BYTES) {
        continue;
      }
      int slot = slot(event.name(i));
      if (slot < 0) {
        continue;
      }
      Object value = event.valueAt(i);
      if (slot >= CONTEXT && value != null) {
        value = value == ScannedObject.NOT_OBJECT ? Boolean.FALSE : AN_OBJECT;
      }
      slots[slot] = value;
    }
  }

  @Override
  public Object get(String name) {
    int slot = slot(name);
    return slot < 0 ? null : slots[slot];
  }

  String string(String name) {
    return (String) get(name);
  }

  void setType(String type) {
    slots[TYPE] = type;
  }

  /** Whether an event's member of this name is one of the parsed fields type … sentAt. */
  static boolean parsedSlot(String name) {
    int slot = slot(name);
    return slot >= 0 && slot <= SENT_AT;
  }

  private static int slot(String name) {
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
      case "context" -> CONTEXT;
      case "integrations" -> INTEGRATIONS;
      case "properties" -> PROPERTIES;
      case "traits" -> TRAITS;
      default -> -1;
    };
  }
}
