package dev.herald.bus.log.kafka;

import java.util.concurrent.TimeUnit;

/**
 * How long a subscription waits before replacing a consumer that died: 1 s, doubling with each
 * death up to 30 s, so a consumer that keeps dying does not spin; counted afresh after five
 * minutes without a death.
 */
final class RestartBackoff {

  private int deaths;
  private long lastDeath = System.nanoTime();

  /** Records a death; the milliseconds to wait before the next consumer. */
  long afterDeath() {
    deaths = System.nanoTime() - lastDeath > TimeUnit.MINUTES.toNanos(5) ? 1 : deaths + 1;
    lastDeath = System.nanoTime();
    return Math.min(30_000, 1000L << Math.min(5, deaths - 1));
  }
}
