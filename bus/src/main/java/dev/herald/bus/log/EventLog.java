package dev.herald.bus.log;

import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The single source of truth: every accepted event is appended here before ingest answers,
 * and every destination reads it through its own {@link LogSubscription}. Implementations:
 * the embedded segment-file log ({@code log.embedded}, one node) and Kafka ({@code log.kafka}).
 * Each keeps the dead letters of the destinations reading it beside its events, so whoever holds
 * a log needs no other setting to find them.
 */
public interface EventLog {

  /** Event-bus address on which the log publishes (locally) after each durable append. */
  String APPENDED_ADDRESS = "herald.log.appended";

  /**
   * Appends events in order. The future completes only once they are durable (per the fsync
   * policy); it fails with {@link LogUnavailableException} when the log cannot take them, in
   * which case none of them is acknowledged to the client.
   */
  Future<Void> append(List<Event> events);

  /**
   * The subscription of a named consumer (a destination id), positioned at its last
   * committed offset (or the log's start for a new consumer).
   */
  Future<LogSubscription> subscribe(String consumerId);

  /**
   * Opens (creating if needed) the dead-letter store of a destination reading this log: a file
   * under the embedded log's directory, a topic beside the Kafka log's. The caller closes it.
   */
  Future<DeadLetterStore> openDeadLetters(String destinationId);

  /**
   * Forgets the stored position of every consumer not in {@code consumerIds} (destinations removed
   * from the config): otherwise its cursor holds back retention forever, and a destination added
   * again under that id would resume from a months-old position. Consumers with an open
   * subscription are kept. Each drop is logged. Herald calls it at start-up with the configured
   * destination ids (and on a config reload).
   *
   * @return the consumer ids whose positions were dropped
   */
  default Future<Set<String>> retainCursors(Set<String> consumerIds) {
    return Future.succeededFuture(Set.of());
  }

  /**
   * Gives a consumer that has no stored position one at the log's current end, so it reads only
   * what is appended from now on (a consumer otherwise starts at the log's start). A consumer that
   * has a position keeps it. Herald calls it for destinations a config reload adds.
   *
   * @return whether a position was stored (false: the consumer already had one)
   */
  default Future<Boolean> startAtEnd(String consumerId) {
    return Future.failedFuture(new UnsupportedOperationException("this log cannot start a consumer at its end"));
  }

  /** As {@link #openDeadLetters(String)}, keeping at most what {@code retention} allows. */
  default Future<DeadLetterStore> openDeadLetters(String destinationId, DeadLetterRetention retention) {
    return openDeadLetters(destinationId);
  }

  /**
   * The destinations an operator paused, kept beside their cursors (so a pause survives a restart).
   * A log that keeps none returns a fresh in-memory set: call this once.
   */
  default PausedDestinations pausedDestinations() {
    return PausedDestinations.inMemory();
  }

  /** Per consumer (destination id): events retention deleted before that consumer read them. */
  default Map<String, Long> retentionLosses() {
    return Map.of();
  }

  /** Per consumer: events skipped as unreadable (damaged records), each logged where it was found. */
  default Map<String, Long> damageLosses() {
    return Map.of();
  }

  /** Flushes, persists cursors and releases files. */
  Future<Void> close();
}
