package dev.herald.bus.log.embedded;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds how far the log is durable, which is where readers stop, and tells the subscriptions
 * when it moves on {@link EventLog#APPENDED_ADDRESS}. The writer advances it once per group; at
 * most one notice waits on the publishing context at a time and carries the newest end, so a
 * fast writer cannot flood the event bus.
 */
final class DurableEndPublisher {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  /** Where the notices are published from (the context that opened the log). */
  private final Context notifyContext;
  private final AtomicBoolean publishScheduled = new AtomicBoolean();
  private volatile DurableEnd durable;

  DurableEndPublisher(Vertx vertx, Context notifyContext, DurableEnd recovered) {
    this.vertx = vertx;
    this.notifyContext = notifyContext;
    this.durable = recovered;
  }

  DurableEnd current() {
    return durable;
  }

  /** Called on the writer thread once records below {@code end} are durable; never blocks. */
  void advance(DurableEnd end) {
    durable = end;
    if (publishScheduled.compareAndSet(false, true)) {
      notifyContext.runOnContext(v -> {
        publishScheduled.set(false);
        vertx.eventBus().publish(EventLog.APPENDED_ADDRESS, durable.offset(), LOCAL);
      });
    }
  }
}
