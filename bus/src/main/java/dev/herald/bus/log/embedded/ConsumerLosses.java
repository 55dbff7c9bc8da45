package dev.herald.bus.log.embedded;

import dev.herald.bus.log.LogLosses;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events each consumer lost for good since the log opened: those retention deleted before
 * the consumer committed them (counted by {@link Retention}, which moves the cursors) and those
 * its subscription skipped because their records were damaged (counted here).
 */
final class ConsumerLosses {

  private final Retention retention;
  private final ConcurrentHashMap<String, Long> damage = new ConcurrentHashMap<>();

  ConsumerLosses(Retention retention) {
    this.retention = retention;
  }

  void recordDamage(String consumerId, long lost) {
    damage.merge(consumerId, lost, Long::sum);
  }

  Map<String, Long> retentionLosses() {
    return retention.losses();
  }

  Map<String, Long> damageLosses() {
    return Map.copyOf(damage);
  }

  LogLosses of(String consumerId) {
    return new LogLosses(retention.losses().getOrDefault(consumerId, 0L),
        damage.getOrDefault(consumerId, 0L));
  }
}
