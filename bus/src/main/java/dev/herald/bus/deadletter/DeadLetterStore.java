package dev.herald.bus.deadletter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/**
 * One destination's dead letters: durable, listable, filterable. Implementations: an NDJSON file
 * per destination ({@link FileDeadLetterStore}, with the embedded log) and a Kafka topic per
 * destination (with the Kafka log).
 */
public interface DeadLetterStore {

  /** Opens (creating if needed) the file store of {@code destinationId} in {@code dir}. */
  static Future<DeadLetterStore> open(Vertx vertx, Path dir, String destinationId) {
    return FileDeadLetterStore.open(vertx, dir, destinationId).map(store -> store);
  }

  String destinationId();

  /** How many dead letters the store holds. */
  long count();

  /**
   * Appends entries (their ids are assigned by the store, increasing in write order); the future
   * completes once they are durable, with the stored entries.
   */
  Future<List<DeadLetter>> append(List<DeadLetter> letters);

  /** Entries matching {@code query}, oldest first, at most {@code query.limit()}. */
  Future<List<DeadLetter>> list(DeadLetterQuery query);

  /**
   * Records what replays did to entries, durably (a later listing shows each entry's latest
   * outcome); marks of entries no longer stored are ignored.
   */
  Future<Void> markReplayed(List<ReplayMark> marks);

  /** Deletes every entry matching {@code filter} (its limit and offset aside); answers how many. */
  Future<Long> delete(DeadLetterQuery filter);

  /** Entries dropped by retention ({@code deadLetters.maxBytes}, {@code maxAge}) since the store opened. */
  default long dropped() {
    return 0;
  }

  /** Releases what the store holds open. */
  Future<Void> close();
}
