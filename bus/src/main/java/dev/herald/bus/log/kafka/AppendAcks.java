package dev.herald.bus.log.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Counts one append's acknowledgements; reports once, with the first failure if any. */
final class AppendAcks implements Callback {

  private final AtomicInteger remaining;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Consumer<Throwable> done;

  AppendAcks(int count, Consumer<Throwable> done) {
    this.remaining = new AtomicInteger(count);
    this.done = done;
  }

  @Override
  public void onCompletion(RecordMetadata metadata, Exception exception) {
    if (exception != null) {
      failure.compareAndSet(null, exception);
    }
    if (remaining.decrementAndGet() == 0) {
      done.accept(failure.get());
    }
  }

  /** The records the producer never took will not be acknowledged: count them as failed. */
  void failUnsent(int unsent, RuntimeException cause) {
    failure.compareAndSet(null, cause);
    if (unsent > 0 && remaining.addAndGet(-unsent) == 0) {
      done.accept(failure.get());
    }
  }
}
