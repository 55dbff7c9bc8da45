package dev.herald.bus.deadletter;

import java.time.Instant;

/**
 * Which dead letters to list, oldest first. Null criteria match everything.
 *
 * @param limit at most this many entries (1..{@value #MAX_LIMIT})
 * @param offset skip this many matching entries first
 * @param since only entries dead-lettered at or after this time
 * @param until only entries dead-lettered before this time
 * @param reasonContains only entries whose reason contains this text (case-insensitive)
 * @param messageId only entries of this messageId
 */
public record DeadLetterQuery(int limit, int offset, Instant since, Instant until, String reasonContains,
    String messageId) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public DeadLetterQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (since != null && until != null && until.isBefore(since)) {
      throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
    }
  }

  /** The first {@value #DEFAULT_LIMIT} entries. */
  public static DeadLetterQuery firstPage() {
    return new DeadLetterQuery(DEFAULT_LIMIT, 0, null, null, null, null);
  }

  public DeadLetterQuery withLimit(int newLimit) {
    return new DeadLetterQuery(newLimit, offset, since, until, reasonContains, messageId);
  }

  public DeadLetterQuery withOffset(int newOffset) {
    return new DeadLetterQuery(limit, newOffset, since, until, reasonContains, messageId);
  }

  public DeadLetterQuery withTimeRange(Instant newSince, Instant newUntil) {
    return new DeadLetterQuery(limit, offset, newSince, newUntil, reasonContains, messageId);
  }

  public DeadLetterQuery withReasonContaining(String text) {
    return new DeadLetterQuery(limit, offset, since, until, text, messageId);
  }

  public DeadLetterQuery withMessageId(String id) {
    return new DeadLetterQuery(limit, offset, since, until, reasonContains, id);
  }

  /** Whether {@code letter} meets every criterion (limit and offset aside). */
  public boolean matches(DeadLetter letter) {
    if (since != null && letter.deadLetteredAt().isBefore(since)) return false;
    if (until != null && !letter.deadLetteredAt().isBefore(until)) return false;
    if (messageId != null && !messageId.equals(letter.messageId())) return false;
    if (reasonContains != null && !reasonContains.isEmpty()
        && !letter.reason().toLowerCase(java.util.Locale.ROOT)
            .contains(reasonContains.toLowerCase(java.util.Locale.ROOT))) {
      return false;
    }
    return true;
  }
}
