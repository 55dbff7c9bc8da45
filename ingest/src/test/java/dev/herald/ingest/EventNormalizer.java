package dev.herald.ingest;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a client's event into the stored one: checks it, drops the write key, fills
 * {@code messageId} and {@code receivedAt}, moves the client's {@code timestamp} to
 * {@code originalTimestamp} and corrects {@code timestamp} for clock skew, merges the batch's
 * {@code sentAt}, {@code context} and {@code integrations} under the event's own, sets
 * {@code context.ip} under the source's IP policy, and encodes the event once.
 */
final class EventNormalizer {

  static final String TOPIC = "analytics";
  private static final String[] TIME_FIELDS = {"timestamp", "originalTimestamp", "sentAt"};

  private final int maxEventBytes;

  EventNormalizer(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * What one request shares among its events.
   *
   * @param clientAddress the connection's (or proxy-reported) client address, or null
   * @param envelope a batch's top-level fields, or null for a single event
   * @param sentAt the batch's {@code sentAt}, or null
   */
  record RequestScope(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant receivedAt,
      String receivedAtText, JsonObject envelope, Instant sentAt) {

    static RequestScope of(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant now,
        JsonObject envelope, Instant sentAt) {
      // Millisecond precision, so the stored Event and its payload agree exactly.
      Instant receivedAt = now.truncatedTo(ChronoUnit.MILLIS);
      return new RequestScope(sourceId, ipPolicy, clientAddress, receivedAt, Timestamps.format(receivedAt),
          envelope, sentAt);
    }
  }

  /** The result for one event: either accepted (an event to append) or rejected (why). */
  sealed interface Outcome {}

  record Accepted(Event event, JsonObject payload) implements Outcome {}

  record Rejected(ErrorCode code, String message, String messageId) implements Outcome {}

  /**
   * @param value the event as parsed (any JSON value)
   * @param sizeBytes its size as sent
   * @param routeType the type a single-event route implies, or null for batch items
   */
  Outcome normalize(Object value, int sizeBytes, String routeType, RequestScope scope) {
    if (value instanceof PayloadParser.Unreadable unreadable) {
      // The size is the more useful answer when both limits are crossed.
      return sizeBytes > maxEventBytes
          ? new Rejected(ErrorCode.EVENT_TOO_LARGE, "the event is " + sizeBytes + " bytes, over maxEventBytes ("
              + maxEventBytes + " bytes)", unreadable.messageId())
          : new Rejected(unreadable.problem().code(), unreadable.problem().getMessage(), unreadable.messageId());
    }
    if (!(value instanceof JsonObject event)) {
      return new Rejected(ErrorCode.INVALID_EVENT, "the event must be a JSON object", null);
    }
    Object rawMessageId = event.getValue("messageId");
    String clientMessageId = rawMessageId instanceof String s && s.length() < 200 ? s : null;
    if (sizeBytes > maxEventBytes) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, "the event is " + sizeBytes
          + " bytes, over maxEventBytes (" + maxEventBytes + " bytes)", clientMessageId);
    }
    event.remove("writeKey");
    if (routeType != null) {
      event.put("type", routeType);
    }
    String problem = EventValidator.problem(field -> event.getValue(EventFields.NAMES[field]));
    if (problem == null) {
      problem = timeProblem(event);
    }
    if (problem != null) {
      return new Rejected(ErrorCode.INVALID_EVENT, problem, clientMessageId);
    }
    String messageId = clientMessageId;
    if (messageId == null || messageId.isEmpty()) {
      messageId = randomUuid();
      event.put("messageId", messageId);
    }
    normalizeTimes(event, scope);
    JsonObject envelope = scope.envelope();
    JsonObject context = merged(event.getJsonObject("context"), envelope == null ? null : envelope.getValue("context"));
    applyClientAddress(event, context, scope);
    if (envelope != null) {
      JsonObject integrations = merged(event.getJsonObject("integrations"), envelope.getValue("integrations"));
      if (integrations != null) {
        event.put("integrations", integrations);
      }
    }
    String partitionKey = EventValidator.identity(event.getValue("userId"));
    if (partitionKey == null) {
      partitionKey = EventValidator.identity(event.getValue("anonymousId"));
    }
    if (partitionKey == null) {
      partitionKey = messageId;
    }
    io.vertx.core.buffer.Buffer encoded = StoredSizeBound.encode(event, maxEventBytes);
    if (encoded == null) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, StoredSizeBound.tooLargeStored("the event", maxEventBytes),
          clientMessageId);
    }
    Event stored = new Event(messageId, event.getString("type"), TOPIC, scope.sourceId(), partitionKey,
        scope.receivedAt(), encoded);
    return new Accepted(stored, event);
  }

  /** Every time field the client sent must be an ISO-8601 date-time with a zone. */
  static String timeProblem(JsonObject event) {
    for (String field : TIME_FIELDS) {
      Object value = event.getValue(field);
      if (value != null && (!(value instanceof String text) || Timestamps.parse(text) == null)) {
        return "\"" + field + "\" must be an ISO-8601 date-time with a time zone, such as "
            + "2026-11-23T10:00:00.000Z; got " + EventValidator.quoted(value);
      }
    }
    return null;
  }

  private static void normalizeTimes(JsonObject event, RequestScope scope) {
    event.put("receivedAt", scope.receivedAtText());
    String original = event.getString("originalTimestamp");
    if (original == null) {
      original = event.getString("timestamp");
      if (original != null) {
        event.put("originalTimestamp", original);
      }
    }
    Instant sentAt;
    String ownSentAt = event.getString("sentAt");
    if (ownSentAt != null) {
      sentAt = Timestamps.parse(ownSentAt);
    } else {
      sentAt = scope.sentAt();
      if (sentAt != null) {
        event.put("sentAt", scope.envelope().getValue("sentAt"));
      }
    }
    Instant corrected = Timestamps.corrected(scope.receivedAt(),
        original == null ? null : Timestamps.parse(original), sentAt);
    event.put("timestamp", corrected.equals(scope.receivedAt()) ? scope.receivedAtText() : Timestamps.format(corrected));
  }

  /** context.ip: the client's own value, else the connection's; then the source's policy. */
  private static void applyClientAddress(JsonObject event, JsonObject context, RequestScope scope) {
    Object sent = context == null ? null : context.getValue("ip");
    String address = sent instanceof String s && !s.isEmpty() ? s : scope.clientAddress();
    String stored = ClientAddress.apply(scope.ipPolicy(), address);
    if (stored == null) {
      if (context != null) {
        context.remove("ip");
      }
    } else {
      if (context == null) {
        context = new JsonObject();
      }
      context.put("ip", stored);
    }
    if (context != null) {
      event.put("context", context);
    }
  }

  /**
   * The event's object with the batch's entries under it (on a shared key the event wins).
   * Always a fresh top-level object, so setting a key never touches another event's.
   */
  private static JsonObject merged(JsonObject own, Object batchValue) {
    JsonObject batchObject = batchValue instanceof JsonObject b && !b.isEmpty() ? b : null;
    if (batchObject == null) {
      return own;
    }
    if (own == null) {
      return new JsonObject(new LinkedHashMap<>(batchObject.getMap()));
    }
    for (Map.Entry<String, Object> entry : batchObject) {
      if (!own.containsKey(entry.getKey())) {
        own.put(entry.getKey(), entry.getValue());
      }
    }
    return own;
  }

  /** A version-4 UUID; messageIds need uniqueness, not the cost of SecureRandom. */
  static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
