package dev.herald.destination.testkit;

/**
 * One dead letter as stored.
 *
 * @param messageId the event's id
 * @param reason why, as the plugin said
 * @param status the HTTP status, 0 when none
 * @param responseExcerpt the start of the destination's answer, or null
 * @param json the whole stored entry, to check nothing secret went into it
 */
public record DeadLetterSnapshot(String messageId, String reason, int status, String responseExcerpt, String json) {}
