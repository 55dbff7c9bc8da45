package dev.herald.destination.segment;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Turns a stored event into the message a Segment-compatible API takes. The stored JSON is
 * forwarded as it is ({@code messageId}, {@code timestamp}, {@code context}, {@code integrations}
 * and everything else unchanged), but for three things:
 * <ul>
 *   <li>its own {@code sentAt} is dropped: it was the time the client sent it to Herald, and the
 *       receiver corrects {@code timestamp} from the {@code sentAt} of the request it gets, which
 *       Herald sets on the batch when it sends;</li>
 *   <li>a message without {@code messageId} gets the stored event's, so a re-delivery is
 *       recognised (a raw record shaped by a transform has no other);</li>
 *   <li>a message without {@code timestamp} gets the time Herald received it.</li>
 * </ul>
 * The bytes are re-encoded only when one of these applies. A message the receiver would refuse
 * or silently drop (Segment answers 200 and discards it) is refused here, with the reason.
 */
final class SegmentMessages {

  static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");
  /** The receiver's bound on a messageId (Segment's and Herald's ingest). */
  static final int MAX_MESSAGE_ID_LENGTH = 100;

  private SegmentMessages() {}

  /** What to send for {@code event}, or why it cannot be sent: exactly one of the two is set. */
  record Prepared(Buffer json, String problem) {}

  static Prepared prepare(Event event) {
    JsonObject message;
    try {
      message = new JsonObject(event.payloadBytes());
    } catch (DecodeException | ClassCastException e) {
      return refused("the stored event is not a JSON object");
    }
    String problem = problem(event, message);
    if (problem != null) return refused(problem);
    boolean changed = message.remove("sentAt") != null;
    if (!message.containsKey("messageId")) {
      message.put("messageId", event.messageId());
      changed = true;
    }
    if (!message.containsKey("timestamp")) {
      message.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(event.receivedAt()));
      changed = true;
    }
    Buffer json = changed ? message.toBuffer() : event.payloadBytes();
    if (json.length() > SegmentConfig.MAX_EVENT_BYTES) {
      return refused("the event is " + json.length() + " bytes encoded, over the " + SegmentConfig.MAX_EVENT_BYTES
          + " bytes a Segment-compatible API takes per event");
    }
    return new Prepared(json, null);
  }

  /** Why the receiver would not take {@code message}, or null. */
  static String problem(Event event, JsonObject message) {
    Object type = message.getValue("type");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      if (event.type() == null && type == null) {
        return "a raw record of topic '" + event.topic() + "' is not a Segment event: give the destination a"
            + " transform that shapes it into one (type, userId or anonymousId, …)";
      }
      return "'type' must be one of " + String.join(", ", TYPES.stream().sorted().toList()) + ", not " + describe(type);
    }
    if (!isIdentity(message.getValue("userId")) && !isIdentity(message.getValue("anonymousId"))) {
      return article(t) + " call needs a userId or an anonymousId";
    }
    Object messageId = message.getValue("messageId");
    if (messageId != null && !(messageId instanceof String s && !s.isEmpty() && s.length() < MAX_MESSAGE_ID_LENGTH)) {
      return "'messageId' must be a string of 1 to " + (MAX_MESSAGE_ID_LENGTH - 1) + " characters";
    }
    String needed = switch (t) {
      case "track" -> isText(message.getValue("event")) ? null : "event";
      case "group" -> isIdentity(message.getValue("groupId")) ? null : "groupId";
      case "alias" -> !isIdentity(message.getValue("previousId")) ? "previousId"
          : isIdentity(message.getValue("userId")) ? null : "userId";
      default -> null;
    };
    return needed == null ? null : article(t) + " call needs '" + needed + "'";
  }

  private static String article(String type) {
    return (type.startsWith("a") || type.startsWith("i") ? "an " : "a ") + type;
  }

  private static boolean isIdentity(Object value) {
    return isText(value) || value instanceof Number;
  }

  private static boolean isText(Object value) {
    return value instanceof String s && !s.isEmpty();
  }

  private static String describe(Object value) {
    if (value == null) return "none";
    String text = value instanceof String s ? "'" + s + "'" : "a " + value.getClass().getSimpleName();
    return text.length() > 40 ? text.substring(0, 40) + "…'" : text;
  }

  private static Prepared refused(String problem) {
    return new Prepared(null, problem);
  }
}
