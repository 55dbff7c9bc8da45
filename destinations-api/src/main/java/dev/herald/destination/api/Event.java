package dev.herald.destination.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * An accepted event as stored in Herald's log. Immutable: {@link #payload()} hands out a
 * copy, {@link #payloadBytes()} the stored JSON bytes (read-only, cheapest to forward).
 */
public final class Event {

  private final String messageId;
  private final String type;
  private final String topic;
  private final String sourceId;
  private final String partitionKey;
  private final Instant receivedAt;
  private final Buffer payloadBytes;
  private volatile JsonObject parsed;

  /**
   * @param messageId unique id, also the destination's idempotency key
   * @param type the Segment type ({@code track}, {@code identify}, …) or {@code null} for a raw record
   * @param topic {@code analytics} for Segment-spec events, else the raw topic's name
   * @param sourceId the id of the source whose write key accepted the event
   * @param partitionKey userId, else anonymousId, else messageId
   * @param receivedAt when Herald accepted the event
   * @param payloadBytes the normalized event as UTF-8 JSON
   */
  public Event(String messageId, String type, String topic, String sourceId, String partitionKey,
      Instant receivedAt, Buffer payloadBytes) {
    this.messageId = Objects.requireNonNull(messageId, "messageId");
    this.type = type;
    this.topic = Objects.requireNonNull(topic, "topic");
    this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
    this.partitionKey = Objects.requireNonNull(partitionKey, "partitionKey");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
    this.payloadBytes = Objects.requireNonNull(payloadBytes, "payloadBytes");
  }

  public String messageId() { return messageId; }

  /** The Segment event type, or {@code null} for a raw-topic record. */
  public String type() { return type; }

  public String topic() { return topic; }

  public String sourceId() { return sourceId; }

  public String partitionKey() { return partitionKey; }

  public Instant receivedAt() { return receivedAt; }

  /** The stored JSON, UTF-8. Do not modify it. */
  public Buffer payloadBytes() { return payloadBytes; }

  /** A fresh, mutable copy of the payload. */
  public JsonObject payload() {
    return parsedPayload().copy();
  }

  /** The value of a top-level string field of the payload, or null; no copy made. */
  public String payloadString(String field) {
    Object value = parsedPayload().getValue(field);
    return value instanceof String s ? s : null;
  }

  /** The same event with another payload (what a transform produces). */
  public Event withPayload(JsonObject newPayload) {
    return new Event(messageId, type, topic, sourceId, partitionKey, receivedAt, newPayload.toBuffer());
  }

  private JsonObject parsedPayload() {
    JsonObject p = parsed;
    if (p == null) {
      p = new JsonObject(payloadBytes);
      parsed = p;
    }
    return p;
  }

  @Override
  public String toString() {
    return "Event{" + messageId + ", " + type + ", topic=" + topic + ", source=" + sourceId + "}";
  }
}
