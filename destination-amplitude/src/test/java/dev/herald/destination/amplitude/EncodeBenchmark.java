package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The Amplitude plugin's CPU cost per event on one thread: the old encoder ({@link LegacyBatch}:
 * one buffer per event, then copied into the body) against the streaming one ({@link BatchEncoder}:
 * events written straight into request bodies), over the same seeded corpus of realistic Segment
 * events cut into batches as the runner cuts them. Prints events/s, bytes allocated per event and
 * the ratio new/old; the best round of each by CPU time (the encoding thread's own, which other
 * processes on a busy machine do not inflate; wall-clock events/s are printed beside it).
 * A benchmark, not a test: run it on a quiet machine.
 *
 * <pre>
 * ./mvnw -B -q -o -pl destination-amplitude -am test-compile
 * java -cp destination-amplitude/target/test-classes:destination-amplitude/target/classes:&lt;test classpath&gt; \
 *   dev.herald.destination.amplitude.EncodeBenchmark [events=1000000] [distinct=100000] [rounds=5]
 * </pre>
 */
public final class EncodeBenchmark {

  private EncodeBenchmark() {}

  public static void main(String[] args) {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int distinct = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String only = System.getProperty("only", "");
    AmplitudeConfig config = SegmentMapperTest.config(new JsonObject());
    List<List<Event>> batches = batches(SegmentCorpus.realistic(42, distinct), config);
    long payloadBytes = batches.stream().flatMap(List::stream).mapToLong(e -> e.payloadBytes().length()).sum();
    System.out.printf(Locale.ROOT, "corpus: %d distinct realistic Segment events (%.0f B average) in %d batches;"
        + " %d events encoded per round, %d rounds each, one thread%n",
        distinct, (double) payloadBytes / distinct, batches.size(), events, rounds);

    LegacyBatch legacy = new LegacyBatch(config);
    BatchEncoder streaming = new BatchEncoder(config);
    ToIntFunction<List<Event>> old = batch -> legacy.encode(batch).bodies().size();
    ToIntFunction<List<Event>> now = batch -> streaming.encode(batch).requests().size();
    Result bestOld = null;
    Result bestNew = null;
    for (int round = 0; round < rounds; round++) {
      if (!only.equals("new")) bestOld = best(bestOld, run("old", old, batches, events));
      if (!only.equals("old")) bestNew = best(bestNew, run("new", now, batches, events));
    }
    System.out.println();
    if (bestOld != null) bestOld.print("old encoder (best round)");
    if (bestNew != null) bestNew.print("new encoder (best round)");
    if (bestOld != null && bestNew != null) {
      System.out.printf(Locale.ROOT, "ratio new/old: %.2fx events/s, %.2fx events per CPU-second, %.2fx bytes allocated per event%n",
          bestNew.eventsPerSecond() / bestOld.eventsPerSecond(), bestNew.eventsPerCpuSecond() / bestOld.eventsPerCpuSecond(),
          bestNew.bytesPerEvent() / bestOld.bytesPerEvent());
    }
  }

  /** The corpus cut as the runner cuts a backlog: at most maxEvents and maxBytes of payload per batch. */
  static List<List<Event>> batches(List<Event> corpus, AmplitudeConfig config) {
    List<List<Event>> batches = new ArrayList<>();
    List<Event> current = new ArrayList<>();
    long bytes = 0;
    for (Event event : corpus) {
      int size = event.payloadBytes().length();
      if (!current.isEmpty() && (current.size() >= config.limits().maxEvents() || bytes + size > config.limits().maxBytes())) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(event);
      bytes += size;
    }
    if (!current.isEmpty()) batches.add(current);
    return batches;
  }

  /** {@code cpuNanos}: the thread's CPU time, which a busy machine's other processes do not inflate. */
  record Result(long events, long nanos, long cpuNanos, long allocated, long requests) {
    double eventsPerSecond() {
      return events / (nanos / 1e9);
    }

    double eventsPerCpuSecond() {
      return events / (cpuNanos / 1e9);
    }

    double bytesPerEvent() {
      return (double) allocated / events;
    }

    void print(String label) {
      System.out.printf(Locale.ROOT, "%-26s %,10.0f events/s  %,10.0f events/CPU-s  %,6.0f B allocated/event  %d requests%n",
          label, eventsPerSecond(), eventsPerCpuSecond(), bytesPerEvent(), requests);
    }
  }

  private static Result best(Result a, Result b) {
    return a == null || b.eventsPerCpuSecond() > a.eventsPerCpuSecond() ? b : a;
  }

  private static Result run(String label, ToIntFunction<List<Event>> encoder, List<List<Event>> batches, long events) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long done = 0;
    long requests = 0;
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int next = 0;
    while (done < events) {
      List<Event> batch = batches.get(next);
      next = (next + 1) % batches.size();
      requests += encoder.applyAsInt(batch);
      done += batch.size();
    }
    long nanos = System.nanoTime() - start;
    long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
    Result result = new Result(done, nanos, cpu, threads.getThreadAllocatedBytes(thread) - allocatedBefore, requests);
    result.print(label);
    return result;
  }
}
