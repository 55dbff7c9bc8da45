package dev.herald.bus.log.kafka;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber's handler of revoked partitions, run on the subscriber's context while the
 * consumer thread waits: the partitions must not move before the subscriber committed what it
 * settled of them. A handler that takes too long is not waited for forever.
 */
final class SubscriberRevocation {

  // Logged as the subscription, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);
  private static final long REVOKE_WAIT_MS = 10_000;

  private final String consumerId;
  private volatile Handler<Set<Integer>> handler;
  private volatile Context context;

  SubscriberRevocation(String consumerId) {
    this.consumerId = consumerId;
  }

  void handler(Handler<Set<Integer>> handler, Context context) {
    this.context = context;
    this.handler = handler;
  }

  /** Runs the handler, if any, and waits for it (consumer thread). */
  void runAndWait(Set<Integer> partitions) {
    Handler<Set<Integer>> handler = this.handler;
    Context context = this.context;
    if (handler == null || context == null) {
      return;
    }
    CountDownLatch handled = new CountDownLatch(1);
    context.runOnContext(v -> {
      try {
        handler.handle(partitions);
      } finally {
        handled.countDown();
      }
    });
    try {
      if (!handled.await(REVOKE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn("destination {}: revocation of {} not handled within {} ms; handing them over anyway",
            consumerId, partitions, REVOKE_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
