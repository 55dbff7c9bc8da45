package dev.herald.bus.deadletter;

import java.time.Instant;
import java.util.Locale;

/**
 * Which dead letters to list, oldest first. Null criteria match everything.
 *
 * @param limit at most this many entries (1..{@value #MAX_LIMIT})
 * @param offset skip this many matching entries first
 * @param since only entries dead-lettered at or after this time
 * @param until only entries dead-lettered before this time
 * @param reasonContains only entries whose reason contains this text (case-insensitive)
 * @param messageId only entries of this messageId
 * @param status only entries whose last HTTP status is this one
 * @param state only entries in this replay state
 * @param afterId only entries whose id is greater (0: all), to page through a store whose entries change
 */
public record DeadLetterQuery(int limit, int offset, Instant since, Instant until, String reasonContains,
    String messageId, Integer status, State state, long afterId) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** Where an entry is in its replays. */
  public enum State {
    /** Never replayed. */
    NEW,
    /** A replay delivered it (or its transform left it out): a replay sends it again only when forced. */
    REPLAYED,
    /** A replay sent it and it failed again. */
    FAILED;

    public static State of(DeadLetter letter) {
      if (letter.replay() == null) return NEW;
      return letter.replay().settled() ? REPLAYED : FAILED;
    }

    /** Parses {@code new}, {@code replayed} or {@code failed}. */
    public static State parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("state must be one of new, replayed, failed, not '" + text + "'");
      }
    }
  }

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

  public DeadLetterQuery(int limit, int offset, Instant since, Instant until, String reasonContains, String messageId) {
    this(limit, offset, since, until, reasonContains, messageId, null, null, 0);
  }

  /** The first {@value #DEFAULT_LIMIT} entries. */
  public static DeadLetterQuery firstPage() {
    return new DeadLetterQuery(DEFAULT_LIMIT, 0, null, null, null, null);
  }

  public DeadLetterQuery withLimit(int newLimit) {
    return new DeadLetterQuery(newLimit, offset, since, until, reasonContains, messageId, status, state, afterId);
  }

  public DeadLetterQuery withOffset(int newOffset) {
    return new DeadLetterQuery(limit, newOffset, since, until, reasonContains, messageId, status, state, afterId);
  }

  public DeadLetterQuery withTimeRange(Instant newSince, Instant newUntil) {
    return new DeadLetterQuery(limit, offset, newSince, newUntil, reasonContains, messageId, status, state, afterId);
  }

  public DeadLetterQuery withReasonContaining(String text) {
    return new DeadLetterQuery(limit, offset, since, until, text, messageId, status, state, afterId);
  }

  public DeadLetterQuery withMessageId(String id) {
    return new DeadLetterQuery(limit, offset, since, until, reasonContains, id, status, state, afterId);
  }

  public DeadLetterQuery withStatus(Integer newStatus) {
    return new DeadLetterQuery(limit, offset, since, until, reasonContains, messageId, newStatus, state, afterId);
  }

  public DeadLetterQuery withState(State newState) {
    return new DeadLetterQuery(limit, offset, since, until, reasonContains, messageId, status, newState, afterId);
  }

  public DeadLetterQuery withAfterId(long id) {
    return new DeadLetterQuery(limit, offset, since, until, reasonContains, messageId, status, state, id);
  }

  /** A store's walk over its entries, oldest first, until the visitor answers false. */
  @FunctionalInterface
  public interface Scan<E extends Exception> {
    void visit(java.util.function.Predicate<DeadLetter> visitor) throws E;
  }

  /** The page of matching entries this query asks for ({@code offset}, then at most {@code limit}). */
  public <E extends Exception> java.util.List<DeadLetter> page(Scan<E> scan) throws E {
    java.util.List<DeadLetter> page = new java.util.ArrayList<>(Math.min(limit, 64));
    int[] toSkip = {offset};
    scan.visit(letter -> {
      if (!matches(letter)) return true;
      if (toSkip[0] > 0) {
        toSkip[0]--;
        return true;
      }
      page.add(letter);
      return page.size() < limit;
    });
    return page;
  }

  /** Whether {@code letter} meets every criterion (limit and offset aside). */
  public boolean matches(DeadLetter letter) {
    if (letter.id() <= afterId) return false;
    if (since != null && letter.deadLetteredAt().isBefore(since)) return false;
    if (until != null && !letter.deadLetteredAt().isBefore(until)) return false;
    if (messageId != null && !messageId.equals(letter.messageId())) return false;
    if (status != null && status != letter.status()) return false;
    if (state != null && state != State.of(letter)) return false;
    if (reasonContains != null && !reasonContains.isEmpty()
        && !letter.reason().toLowerCase(Locale.ROOT).contains(reasonContains.toLowerCase(Locale.ROOT))) {
      return false;
    }
    return true;
  }
}
