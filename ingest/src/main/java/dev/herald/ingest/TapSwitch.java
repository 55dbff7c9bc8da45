package dev.herald.ingest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether anyone listens to {@link IngestVerticle#ACCEPTED_ADDRESS}: ingest builds and publishes
 * the accepted events only while a live tap is open, so the path costs one volatile read otherwise.
 */
public final class TapSwitch {

  private final AtomicInteger listeners = new AtomicInteger();

  /** One more listener; call the returned action once when it stops listening. */
  public Runnable listen() {
    listeners.incrementAndGet();
    AtomicInteger once = new AtomicInteger();
    return () -> {
      if (once.getAndIncrement() == 0) listeners.decrementAndGet();
    };
  }

  public boolean wanted() {
    return listeners.get() > 0;
  }

  public int listeners() {
    return listeners.get();
  }
}
