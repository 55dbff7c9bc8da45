package dev.herald.bus.log.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails appends fast while Kafka is unreachable: once an append failed for lack of the cluster
 * (a timeout or another retriable error), further appends are refused at once, so ingest answers
 * 503 right away instead of holding every request for the append timeout. Once a second, one
 * append goes through as a probe; the first that succeeds opens the gate again. Thread-safe.
 */
final class AvailabilityGate {

  private static final Logger LOG = LoggerFactory.getLogger(AvailabilityGate.class);
  private static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

  /** What an append was admitted as. */
  enum Ticket { NORMAL, PROBE }

  private final String bootstrapServers;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean available = true;
  private volatile long nextProbeNanos;
  private volatile String lastProblem;

  AvailabilityGate(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Null when the append must be refused now. */
  Ticket admit() {
    if (available) {
      return Ticket.NORMAL;
    }
    if (System.nanoTime() - nextProbeNanos < 0 || !probing.compareAndSet(false, true)) {
      return null;
    }
    return Ticket.PROBE;
  }

  /** Records how an admitted append ended ({@code failure} null on success). */
  void done(Ticket ticket, Throwable failure) {
    if (failure == null) {
      if (!available) {
        available = true;
        LOG.info("Kafka at {} takes appends again", bootstrapServers);
      }
    } else if (meansUnavailable(failure)) {
      nextProbeNanos = System.nanoTime() + PROBE_INTERVAL_NANOS;
      lastProblem = KafkaTopics.describe(failure);
      if (available) {
        available = false;
        LOG.warn("Kafka at {} did not acknowledge an append ({}); ingest answers 503 until a probe append succeeds",
            bootstrapServers, lastProblem);
      }
    }
    if (ticket == Ticket.PROBE) {
      probing.set(false);
    }
  }

  /** An admitted append that never reached Kafka: changes nothing but frees the probe slot. */
  void release(Ticket ticket) {
    if (ticket == Ticket.PROBE) {
      probing.set(false);
    }
  }

  boolean available() {
    return available;
  }

  String lastProblem() {
    return lastProblem;
  }

  private static boolean meansUnavailable(Throwable failure) {
    return KafkaTopics.is(failure, TimeoutException.class)
        || KafkaTopics.is(failure, RetriableException.class);
  }
}
