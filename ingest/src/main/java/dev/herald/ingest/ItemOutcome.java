package dev.herald.ingest;

import dev.herald.destination.api.Event;

/** What ingest made of one event or record of a request: an event to append, or why not. */
sealed interface ItemOutcome {

  /** The event to append; its stored bytes are {@link Event#payloadBytes()}. */
  record Accepted(Event event) implements ItemOutcome {}

  record Rejected(ErrorCode code, String message, String messageId) implements ItemOutcome {}
}
