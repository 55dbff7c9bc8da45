package dev.herald.ingest;

import dev.herald.destination.api.Event;
import dev.herald.ingest.EventNormalizer.Accepted;
import dev.herald.ingest.EventNormalizer.Outcome;
import dev.herald.ingest.EventNormalizer.Rejected;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Raw records for {@code POST /v1/topics/{topic}}: stored as sent (no Segment rules, no added
 * fields), with a messageId and a partition key chosen by one rule:
 * <ul>
 *   <li>messageId: the record's own {@code messageId} string; else the request's
 *       {@code Idempotency-Key} header (with {@code -<index>} appended when the request holds
 *       several records, so a retried request deduplicates record by record); else a UUID;</li>
 *   <li>partition key: the record's {@code key} (a non-empty string or a number); else its
 *       messageId.</li>
 * </ul>
 */
final class RawRecordNormalizer {

  /** Topic names as Kafka allows them; {@code analytics} is Segment events' own. */
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 80;

  private final int maxEventBytes;

  RawRecordNormalizer(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** Why a topic name cannot be posted to, or null when it can. */
  static String topicProblem(String topic) {
    if (topic == null || !TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      return "a topic name is 1 to 200 characters of letters, digits, '.', '_' and '-'";
    }
    if (topic.equals(EventNormalizer.TOPIC)) {
      return "the topic 'analytics' holds Segment-spec events: post those to /v1/track, /v1/batch, …";
    }
    return null;
  }

  /** Why an Idempotency-Key header is unusable, or null when it is fine or absent. */
  static String idempotencyKeyProblem(String key) {
    if (key == null) {
      return null;
    }
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return "the Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters";
    }
    return null;
  }

  /**
   * @param index the record's position in the request
   * @param count how many records the request holds
   * @param idempotencyKey the request's Idempotency-Key header, or null
   */
  Outcome normalize(Object value, int sizeBytes, int index, int count, String idempotencyKey, String topic,
      String sourceId, Instant receivedAt) {
    if (value instanceof PayloadParser.Unreadable unreadable) {
      // The size is the more useful answer when both limits are crossed.
      return sizeBytes > maxEventBytes
          ? new Rejected(ErrorCode.EVENT_TOO_LARGE, "the record is " + sizeBytes + " bytes, over maxEventBytes ("
              + maxEventBytes + " bytes)", unreadable.messageId())
          : new Rejected(unreadable.problem().code(), unreadable.problem().getMessage(), unreadable.messageId());
    }
    if (!(value instanceof JsonObject record)) {
      return new Rejected(ErrorCode.INVALID_EVENT, "a record must be a JSON object", null);
    }
    Object ownId = record.getValue("messageId");
    String clientId = ownId instanceof String s && s.length() < 200 ? s : null;
    if (sizeBytes > maxEventBytes) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, "the record is " + sizeBytes
          + " bytes, over maxEventBytes (" + maxEventBytes + " bytes)", clientId);
    }
    String messageId;
    if (ownId != null) {
      if (!(ownId instanceof String id) || id.isEmpty() || id.length() >= EventValidator.MAX_MESSAGE_ID_LENGTH) {
        return new Rejected(ErrorCode.INVALID_EVENT, "\"messageId\" must be a non-empty string shorter than "
            + EventValidator.MAX_MESSAGE_ID_LENGTH + " characters", clientId);
      }
      messageId = id;
    } else if (idempotencyKey != null) {
      messageId = count == 1 ? idempotencyKey : idempotencyKey + "-" + index;
    } else {
      messageId = EventNormalizer.randomUuid();
    }
    String partitionKey = EventValidator.identity(record.getValue("key"));
    if (partitionKey == null) {
      partitionKey = messageId;
    }
    io.vertx.core.buffer.Buffer encoded = StoredSizeBound.encode(record, maxEventBytes);
    if (encoded == null) {
      return new Rejected(ErrorCode.EVENT_TOO_LARGE, StoredSizeBound.tooLargeStored("the record", maxEventBytes),
          clientId);
    }
    Event stored = new Event(messageId, null, topic, sourceId, partitionKey, receivedAt, encoded);
    return new Accepted(stored, record);
  }
}
