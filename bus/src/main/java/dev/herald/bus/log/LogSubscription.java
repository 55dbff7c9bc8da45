package dev.herald.bus.log;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consumer's position in the {@link EventLog}. Reading moves an in-memory read position;
 * only {@link #commit} moves the durable cursor, so a crash re-reads from the last commit.
 */
public interface LogSubscription {

  /**
   * Up to {@code maxRecords} entries (and about {@code maxBytes} of payload) after the last
   * one returned; an empty list when nothing new is durable yet. Never waits for new data.
   */
  Future<List<LogEntry>> poll(int maxRecords, long maxBytes);

  /**
   * Durably records that every entry below {@code nextOffsets.get(partition)} is settled in
   * each given partition. Offsets only move forward; a lower value is ignored.
   */
  Future<Void> commit(Map<Integer, Long> nextOffsets);

  /** Called on the subscriber's context whenever new entries may be available. */
  void onAvailable(Handler<Void> handler);

  /**
   * Registers what to do when partitions are taken from this subscriber (a consumer-group
   * rebalance: another node took them, or this one lost its membership). The handler runs on the
   * subscriber's context before the partitions move on: it should drop its in-flight work for them,
   * and a {@link #commit} it makes before returning still applies to them. Afterwards {@link #poll}
   * returns nothing more of them until they are assigned again (from their committed offsets),
   * and commits for them are ignored. A log whose partitions never move (the embedded one) never
   * calls it.
   */
  default void onPartitionsRevoked(Handler<Set<Integer>> handler) {}

  /**
   * Stops fetching new entries (the destination's breaker is open, or an operator paused it)
   * without giving up the partitions: a Kafka consumer stays in its group and keeps its
   * assignment. {@link #poll} may still return entries fetched before.
   */
  default void pause() {}

  /** Undoes {@link #pause()}. */
  default void resume() {}

  /**
   * Whether {@link #rewind} works. A runner whose log cannot rewind keeps every event of a
   * throttled key in memory and stops reading when its hold budget is full.
   */
  default boolean canRewind() {
    return false;
  }

  /**
   * Reads {@code partition} again from {@code offset} (below the read position: entries returned
   * before): the next entries {@link #poll} returns of that partition start there, in order; no
   * entry of it read before the call is returned after it. Other partitions and the committed
   * cursor are unaffected. Call it between polls (not while one is under way).
   *
   * @throws UnsupportedOperationException when {@link #canRewind()} is false
   */
  default void rewind(int partition, long offset) {
    throw new UnsupportedOperationException("this log cannot rewind");
  }

  /** Entries durable in the log but not yet committed by this consumer. */
  long lag();

  /**
   * What this consumer lost for good (retention, damaged records), for the admin API and
   * metrics. A log that never loses an acknowledged event answers {@link LogLosses#NONE}.
   */
  default LogLosses losses() {
    return LogLosses.NONE;
  }

  /** Stops notifications; does not commit. */
  Future<Void> close();
}
