package dev.herald.launcher.admin;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One thread feeding a trace book as one http destination's runner does (each event read, then
 * delivered), past its window so it trims on every insert; the map-of-records book and the ring
 * book in the same run, alternating. Prints ns per event.
 *
 * <pre>java -cp ... dev.herald.launcher.admin.TraceBookBench [events=1000000] [window=100000] [rounds=5]</pre>
 */
public final class TraceBookBench {

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Instant now = Instant.now();
    Event[] feed = new Event[events];
    for (int i = 0; i < events; i++) {
      feed[i] = new Event(UUID.randomUUID().toString(), "track", "analytics", "web", "u", now, Buffer.buffer("{}"));
    }
    for (int r = 1; r <= rounds; r++) {
      System.out.printf("round %d: map book %.1f ns/event, ring book %.1f ns/event%n", r,
          run(feed, LinkedTraceBook::new, window), run(feed, TraceBook::new, window));
    }
  }

  private static double run(Event[] feed, IntFunction<DeliveryObserver> books, int window) {
    DeliveryObserver book = books.apply(window);
    long start = System.nanoTime();
    for (int i = 0; i < feed.length; i++) {
      Event e = feed[i];
      book.read("http", e, 0, i, true);
      book.delivered("http", e.messageId(), 1 + i / 500, 1);
    }
    return (System.nanoTime() - start) / (double) feed.length;
  }
}
