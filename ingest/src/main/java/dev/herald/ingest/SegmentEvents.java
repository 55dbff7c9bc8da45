package dev.herald.ingest;

import dev.herald.destination.api.Event;
import dev.herald.ingest.ItemOutcome.Accepted;
import dev.herald.ingest.ItemOutcome.Rejected;
import dev.herald.ingest.ScannedObject.Kind;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a client's event into the stored one: checks it, drops the write key, fills
 * {@code messageId} and {@code receivedAt}, moves the client's {@code timestamp} to
 * {@code originalTimestamp} and corrects {@code timestamp} for clock skew, merges the batch's
 * {@code sentAt}, {@code context} and {@code integrations} under the event's own, sets
 * {@code context.ip} under the source's IP policy, and writes the stored bytes: the client's
 * bytes for every member Herald leaves as it is, Herald's own for the rest.
 */
final class SegmentEvents {

  static final String TOPIC = "analytics";

  private final int maxEventBytes;

  SegmentEvents(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * @param item the event as read
   * @param routeType the type a single-event route implies, or null for batch items
   * @param out where the request's records are written
   */
  ItemOutcome normalize(RequestReader.Item item, String routeType, EventScope scope, RecordBytes out) {
    int sizeBytes = item.sizeBytes();
    if (item.value() instanceof RequestReader.Unreadable unreadable) {
      // The size is the more useful answer when both limits are crossed.
      return sizeBytes > maxEventBytes
          ? new Rejected(ErrorCode.EVENT_TOO_LARGE, "the event is " + sizeBytes + " bytes, over maxEventBytes ("
              + maxEventBytes + " bytes)", unreadable.messageId())
          : new Rejected(unreadable.problem().code(), unreadable.problem().getMessage(), unreadable.messageId());
    }
    if (!(item.value() instanceof ScannedObject event)) {
      return new Rejected(ErrorCode.INVALID_EVENT, "the event must be a JSON object", null);
    }
    EventFields fields = event.fields() != null ? event.fields() : EventFields.of(event);
    Object rawMessageId = fields.get(EventFields.MESSAGE_ID);
    String clientMessageId = rawMessageId instanceof String s && s.length() < 200 ? s : null;
    if (sizeBytes > maxEventBytes) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, "the event is " + sizeBytes
          + " bytes, over maxEventBytes (" + maxEventBytes + " bytes)", clientMessageId);
    }
    int writeKey = fields.position(EventFields.WRITE_KEY);
    if (writeKey >= 0) {
      event.replace(writeKey, Kind.REMOVED, null, -1, -1);
    }
    if (routeType != null) {
      fields.set(EventFields.TYPE, Kind.PARSED, routeType, -1, -1);
    }
    String problem = EventValidator.problem(fields);
    if (problem == null) {
      problem = EventValidator.timeProblem(fields);
    }
    if (problem != null) {
      return new Rejected(ErrorCode.INVALID_EVENT, problem, clientMessageId);
    }
    String messageId = clientMessageId;
    if (messageId == null || messageId.isEmpty()) {
      messageId = randomUuid();
      fields.set(EventFields.MESSAGE_ID, Kind.PARSED, messageId, -1, -1);
    }
    normalizeTimes(event, fields, scope);
    Envelope envelope = scope.envelope();
    ScannedObject context = merged(event, fields, EventFields.CONTEXT, envelope == null ? null : envelope.context());
    applyClientAddress(fields, context, envelope, scope);
    if (envelope != null) {
      ScannedObject integrations = merged(event, fields, EventFields.INTEGRATIONS, envelope.integrations());
      if (integrations != null) {
        fields.set(EventFields.INTEGRATIONS, Kind.VIEW, integrations, -1, -1);
      }
    }
    String partitionKey = EventValidator.identityOf(fields, EventFields.USER_ID);
    if (partitionKey == null) {
      partitionKey = EventValidator.identityOf(fields, EventFields.ANONYMOUS_ID);
    }
    if (partitionKey == null) {
      partitionKey = messageId;
    }
    out.begin();
    out.object(event);
    Buffer stored = out.finish();
    if (stored == null) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, StoredBound.tooLargeStored("the event", maxEventBytes),
          clientMessageId);
    }
    return new Accepted(new Event(messageId, fields.string(EventFields.TYPE), TOPIC, scope.sourceId(), partitionKey,
        scope.receivedAt(), stored));
  }

  private static void normalizeTimes(ScannedObject event, EventFields fields, EventScope scope) {
    setBytes(fields, EventFields.RECEIVED_AT, scope.receivedAtJson());
    int originalField = EventFields.ORIGINAL_TIMESTAMP;
    if (fields.string(originalField) == null) {
      originalField = EventFields.TIMESTAMP;
      if (fields.string(originalField) != null) {
        // The client's timestamp moves as sent (its bytes, when they are compact).
        int at = fields.position(EventFields.TIMESTAMP);
        fields.set(EventFields.ORIGINAL_TIMESTAMP, event.kind(at), event.valueAt(at), event.start(at),
            event.end(at));
      }
    }
    // Parsed once, by the rules.
    Instant original = fields.time(originalField);
    Instant corrected;
    if (fields.string(EventFields.SENT_AT) != null) {
      corrected = Timestamps.corrected(scope.receivedAt(), original, fields.time(EventFields.SENT_AT));
    } else {
      if (scope.sentAt() != null) {
        setBytes(fields, EventFields.SENT_AT, scope.envelope().sentAtJson());
      }
      // The batch's skew is worked out once per request.
      corrected = scope.correction().apply(original);
    }
    setBytes(fields, EventFields.TIMESTAMP, corrected.equals(scope.receivedAt())
        ? scope.receivedAtJson() : Timestamps.json(corrected));
  }

  private static void setBytes(EventFields fields, int field, byte[] encoded) {
    fields.set(field, Kind.BYTES, encoded, -1, -1);
  }

  /** context.ip: the client's own value, else the connection's; then the source's policy. */
  private static void applyClientAddress(EventFields fields, ScannedObject context, Envelope envelope,
      EventScope scope) {
    Object sent = null;
    if (context != null && context.has("ip")) {
      // The event's own ip is viewed; the batch's was merged in as bytes and is read from the envelope.
      sent = context.kind(context.indexOf("ip")) == Kind.BYTES ? envelope.contextIp() : context.value("ip");
    }
    boolean own = sent instanceof String s && !s.isEmpty();
    byte[] stored = own ? encoded(ClientAddress.apply(scope.ipPolicy(), (String) sent)) : scope.clientIpJson();
    if (stored == null) {
      if (context != null) {
        context.remove("ip");
      }
    } else {
      if (context == null) {
        context = new ScannedObject(-1);
      }
      context.set("ip", stored);
    }
    if (context != null) {
      fields.set(EventFields.CONTEXT, Kind.VIEW, context, -1, -1);
    }
  }

  /**
   * The event's object with the batch's members under it (on a shared name the event wins), or
   * null when there is neither. The event's own object is viewed, so it is extended in place.
   */
  private static ScannedObject merged(ScannedObject event, EventFields fields, int field,
      List<Envelope.Member> batch) {
    int at = fields.position(field);
    ScannedObject own = at >= 0 && event.kind(at) == Kind.VIEW ? (ScannedObject) event.valueAt(at) : null;
    if (batch == null) {
      return own;
    }
    if (own == null) {
      own = new ScannedObject(-1);
    }
    for (Envelope.Member member : batch) {
      if (!own.has(member.name())) {
        own.set(member.name(), member.value());
      }
    }
    return own;
  }

  private static byte[] encoded(String text) {
    return text == null ? null : JsonText.encode(text);
  }

  /** A version-4 UUID; messageIds need uniqueness, not the cost of SecureRandom. */
  static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
