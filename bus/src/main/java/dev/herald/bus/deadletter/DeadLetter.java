package dev.herald.bus.deadletter;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * An event a destination will not take, kept with why, so an operator can inspect and replay it.
 *
 * @param id unique within the destination's store, increasing in write order (assigned by the store)
 * @param messageId the event's messageId
 * @param destination the destination id
 * @param reason why it was given up (e.g. the destination's rejection, or "retries exhausted: …")
 * @param status the last HTTP status (0 when none)
 * @param responseExcerpt the start of the destination's last answer, at most {@value #MAX_EXCERPT_BYTES} UTF-8 bytes
 * @param attempts how many sends the event went through
 * @param firstAttemptAt the first send's time (null if it was never sent, e.g. a failed transform)
 * @param deadLetteredAt when it was written here
 * @param event the original event as read from the log, before transforms (see {@link #toEvent()})
 * @param replay what its latest replay did, or null if it was never replayed
 */
public record DeadLetter(long id, String messageId, String destination, String reason, int status,
    String responseExcerpt, int attempts, Instant firstAttemptAt, Instant deadLetteredAt, JsonObject event,
    ReplayMark replay) {

  public static final int MAX_EXCERPT_BYTES = 1024;

  public DeadLetter {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    Objects.requireNonNull(event, "event");
    responseExcerpt = truncateUtf8(responseExcerpt, MAX_EXCERPT_BYTES);
  }

  public DeadLetter(long id, String messageId, String destination, String reason, int status,
      String responseExcerpt, int attempts, Instant firstAttemptAt, Instant deadLetteredAt, JsonObject event) {
    this(id, messageId, destination, reason, status, responseExcerpt, attempts, firstAttemptAt, deadLetteredAt,
        event, null);
  }

  /** A new entry for {@code event} (its id is assigned when the store writes it). */
  public static DeadLetter of(Event event, String destination, String reason, int status,
      String responseExcerpt, int attempts, Instant firstAttemptAt, Instant deadLetteredAt) {
    return new DeadLetter(0, event.messageId(), destination, reason, status, responseExcerpt, attempts,
        firstAttemptAt, deadLetteredAt, eventToJson(event));
  }

  DeadLetter withId(long newId) {
    return new DeadLetter(newId, messageId, destination, reason, status, responseExcerpt, attempts,
        firstAttemptAt, deadLetteredAt, event, replay);
  }

  /** This entry with its latest replay's outcome (the mark's id is this entry's). */
  public DeadLetter withReplay(ReplayMark mark) {
    return new DeadLetter(id, messageId, destination, reason, status, responseExcerpt, attempts,
        firstAttemptAt, deadLetteredAt, event, mark);
  }

  /** The original event, as it was in the log: what a replay sends again. */
  public Event toEvent() {
    return new Event(event.getString("messageId"), event.getString("type"), event.getString("topic"),
        event.getString("sourceId"), event.getString("partitionKey"),
        Instant.parse(event.getString("receivedAt")), event.getJsonObject("payload").toBuffer());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("messageId", messageId)
        .put("destination", destination)
        .put("reason", reason)
        .put("status", status)
        .put("responseExcerpt", responseExcerpt)
        .put("attempts", attempts)
        .put("firstAttemptAt", firstAttemptAt == null ? null : firstAttemptAt.toString())
        .put("deadLetteredAt", deadLetteredAt.toString())
        .put("event", event);
    if (replay != null) json.put("replay", withoutId(replay.toJson()));
    return json;
  }

  public static DeadLetter fromJson(JsonObject json) {
    String first = json.getString("firstAttemptAt");
    long id = json.getLong("id", 0L);
    JsonObject replay = json.getJsonObject("replay");
    return new DeadLetter(id, json.getString("messageId"), json.getString("destination"),
        json.getString("reason"), json.getInteger("status", 0), json.getString("responseExcerpt"),
        json.getInteger("attempts", 0), first == null ? null : Instant.parse(first),
        Instant.parse(json.getString("deadLetteredAt")), json.getJsonObject("event"),
        replay == null ? null : ReplayMark.fromJson(replay.copy().put("id", id)));
  }

  private static JsonObject withoutId(JsonObject json) {
    json.remove("id");
    return json;
  }

  static JsonObject eventToJson(Event event) {
    return new JsonObject()
        .put("messageId", event.messageId())
        .put("type", event.type())
        .put("topic", event.topic())
        .put("sourceId", event.sourceId())
        .put("partitionKey", event.partitionKey())
        .put("receivedAt", event.receivedAt().toString())
        .put("payload", event.payload());
  }

  /** Cuts {@code text} to at most {@code maxBytes} UTF-8 bytes without splitting a character. */
  static String truncateUtf8(String text, int maxBytes) {
    if (text == null || text.length() * 3 <= maxBytes) {
      return text;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    int end = maxBytes;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // back up to the first byte of the character that would be cut
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
