package dev.herald.ingest;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a client's event into the stored one: checks it, drops the write key, fills
 * {@code messageId}, {@code receivedAt} and the batch's {@code sentAt}, merges the batch's
 * {@code context} and {@code integrations} under the event's own, and encodes it once.
 */
final class EventNormalizer {

  static final String TOPIC = "analytics";
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final int maxEventBytes;

  EventNormalizer(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** What one request shares among its events. */
  record RequestScope(String sourceId, Instant receivedAt, String receivedAtText, JsonObject envelope) {

    static RequestScope of(String sourceId, Instant now, JsonObject envelope) {
      // Millisecond precision, so the stored Event and its payload agree exactly.
      Instant receivedAt = now.truncatedTo(ChronoUnit.MILLIS);
      return new RequestScope(sourceId, receivedAt, ISO_MILLIS.format(receivedAt), envelope);
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
    String problem = EventValidator.problem(event);
    if (problem != null) {
      return new Rejected(ErrorCode.INVALID_EVENT, problem, clientMessageId);
    }
    String messageId = clientMessageId;
    if (messageId == null || messageId.isEmpty()) {
      messageId = randomUuid();
      event.put("messageId", messageId);
    }
    event.put("receivedAt", scope.receivedAtText());
    JsonObject envelope = scope.envelope();
    if (envelope != null) {
      Object sentAt = envelope.getValue("sentAt");
      if (sentAt != null && event.getValue("sentAt") == null) {
        event.put("sentAt", sentAt);
      }
      mergeUnder(event, "context", envelope.getValue("context"));
      mergeUnder(event, "integrations", envelope.getValue("integrations"));
    }
    String partitionKey = EventValidator.identityOf(event, "userId");
    if (partitionKey == null) {
      partitionKey = EventValidator.identityOf(event, "anonymousId");
    }
    if (partitionKey == null) {
      partitionKey = messageId;
    }
    Event stored = new Event(messageId, event.getString("type"), TOPIC, scope.sourceId(), partitionKey,
        scope.receivedAt(), event.toBuffer());
    return new Accepted(stored, event);
  }

  /** The batch's object goes under the event's own: on a shared key the event wins. */
  private static void mergeUnder(JsonObject event, String field, Object batchValue) {
    if (!(batchValue instanceof JsonObject batchObject) || batchObject.isEmpty()) {
      return;
    }
    Object own = event.getValue(field);
    if (own == null) {
      // Shared between the request's events; nothing mutates it after this point.
      event.put(field, batchObject);
      return;
    }
    JsonObject ownObject = (JsonObject) own;
    for (Map.Entry<String, Object> entry : batchObject) {
      if (!ownObject.containsKey(entry.getKey())) {
        ownObject.put(entry.getKey(), entry.getValue());
      }
    }
  }

  /** A version-4 UUID; messageIds need uniqueness, not the cost of SecureRandom. */
  private static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
