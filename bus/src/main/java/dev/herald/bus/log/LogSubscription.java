package dev.herald.bus.log;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.List;
import java.util.Map;

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

  /** Entries durable in the log but not yet committed by this consumer. */
  long lag();

  /** Stops notifications; does not commit. */
  Future<Void> close();
}
