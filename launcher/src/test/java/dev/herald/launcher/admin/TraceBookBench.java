package dev.herald.launcher.admin;

import dev.herald.bus.router.DeliveryObserver;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Feeds a trace book as runners do under load: each of {@code destinations} reads every event and
 * has it delivered {@code lag} events later (a runner reads far ahead of its deliveries), through the
 * view {@link DeliveryObserver#forDestination} gives it, with fresh "bench-n" messageId strings (their
 * hash not cached yet, as parsed from the log). The book before (one hashed ring per window, found
 * per call: {@link HashedTraceBook}) and the append-only book in the same run, alternating; then the
 * admin query's time on the full append-only book. The loop alone (no book) is the floor: an id read last, one delivered last, and one it
 * does not know (the longest scans). Prints the feeding thread's CPU ns per event and destination, µs per query,
 * and the heap each full book holds per window event (with the messageIds it keeps alive).
 *
 * <pre>java -cp ... dev.herald.launcher.admin.TraceBookBench [events=600000] [window=100000] [lag=150000]
 *     [rounds=3] [destinations=1,3]</pre>
 */
public final class TraceBookBench {

  /** CPU time of the feeding thread, not wall time: other work on a shared box does not count. */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int lag = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String[] counts = (args.length > 4 ? args[4] : "1,3").split(",");
    System.out.printf("%d events, window %d, deliveries %d events behind reads%n", events, window, lag);
    for (String c : counts) {
      int destinations = Integer.parseInt(c);
      for (int r = 1; r <= rounds; r++) {
        double none = run(w -> DeliveryObserver.NONE, window, events, lag, destinations);
        double before = run(HashedTraceBook::new, window, events, lag, destinations);
        double after = run(TraceBook::new, window, events, lag, destinations);
        System.out.printf("%d destination(s), round %d: no book %.1f ns, hashed book %.1f ns, append-only book %.1f ns "
            + "per event and destination (read + delivered)%n", destinations, r, none, before, after);
      }
      query(window, events, lag, destinations);
      System.out.printf("%d destination(s): heap held after a GC, per window event: hashed book %.0f bytes, "
          + "append-only book %.0f bytes%n", destinations, retained(HashedTraceBook::new, window, events, lag, destinations),
          retained(TraceBook::new, window, events, lag, destinations));
    }
  }

  private static double run(IntFunction<DeliveryObserver> books, int window, int events, int lag, int destinations) {
    Event[] feed = feed(events);
    DeliveryObserver book = books.apply(window);
    String[] ids = new String[destinations];
    DeliveryObserver[] views = new DeliveryObserver[destinations];
    for (int d = 0; d < destinations; d++) {
      ids[d] = "http-" + d;
      views[d] = book.forDestination(ids[d]);
    }
    System.gc();
    long start = THREADS.getCurrentThreadCpuTime();
    feed(feed, lag, ids, views);
    return (THREADS.getCurrentThreadCpuTime() - start) / (double) events / destinations;
  }

  /** Bytes of heap the full book holds (with the messageIds it keeps) per window event, after a GC. */
  private static double retained(IntFunction<DeliveryObserver> books, int window, int events, int lag,
      int destinations) {
    long before = usedAfterGc();
    DeliveryObserver book = books.apply(window);
    String[] ids = new String[destinations];
    DeliveryObserver[] views = new DeliveryObserver[destinations];
    for (int d = 0; d < destinations; d++) {
      ids[d] = "http-" + d;
      views[d] = book.forDestination(ids[d]);
    }
    feed(feed(events), lag, ids, views);
    long after = usedAfterGc();
    Reference.reachabilityFence(book);
    return (after - before) / (double) window;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static void feed(Event[] feed, int lag, String[] ids, DeliveryObserver[] views) {
    for (int i = 0; i < feed.length; i++) {
      for (int d = 0; d < views.length; d++) views[d].read(ids[d], feed[i], 0, i, true, System.currentTimeMillis());
      if (i < lag) continue;
      String late = feed[i - lag].messageId();
      for (int d = 0; d < views.length; d++) views[d].delivered(ids[d], late, 1 + (i - lag) / 500, 1, System.currentTimeMillis());
    }
  }

  private static void query(int window, int events, int lag, int destinations) {
    Event[] feed = feed(events);
    TraceBook book = new TraceBook(window);
    String[] ids = new String[destinations];
    DeliveryObserver[] views = new DeliveryObserver[destinations];
    for (int d = 0; d < destinations; d++) {
      ids[d] = "http-" + d;
      views[d] = book.forDestination(ids[d]);
    }
    feed(feed, lag, ids, views);
    String read = "bench-" + (events - 1), delivered = "bench-" + (events - lag - 1), unknown = "bench-none";
    for (String[] q : new String[][] {{"read last", read}, {"delivered last", delivered}, {"unknown", unknown}}) {
      int n = 20;
      long start = THREADS.getCurrentThreadCpuTime();
      Object answer = null;
      for (int k = 0; k < n; k++) answer = book.trace(new String(q[1]), List.of(ids));
      System.out.printf("%d destination(s): trace of an id %s: %.0f µs per query (%s)%n", destinations, q[0],
          (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / n, answer == null ? "404" : "200");
    }
  }

  private static Event[] feed(int events) {
    Instant now = Instant.now();
    Buffer payload = Buffer.buffer("{}");
    Event[] feed = new Event[events];
    for (int i = 0; i < events; i++) feed[i] = new Event("bench-" + i, "track", "analytics", "web", "u", now, payload);
    return feed;
  }
}
