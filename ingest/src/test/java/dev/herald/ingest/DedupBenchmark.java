package dev.herald.ingest;

import dev.herald.destination.api.Event;
import dev.herald.ingest.ItemOutcome.Accepted;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deduplication alone, in one thread: admit and confirm 100-event batches of fresh messageIds
 * (what {@code /v1/batch} does per request), through {@link ReferenceDeduplicator} (boxed
 * fingerprints) and {@link Deduplicator}, alternating rounds in the same run; prints ns per id
 * of wall time and of this thread's CPU time (the steadier figure on a shared machine).
 * The memory is kept full: ids come round again from a pool twice {@code maxEntries} long, so
 * each is fresh again (evicted) by then, and every batch also pays for the eviction of the
 * oldest eighth now and then. Not a test: run it with
 * {@code java -Xmx1g -cp <ingest test classpath> dev.herald.ingest.DedupBenchmark [seconds] [maxEntries]}.
 */
public final class DedupBenchmark {

  private static final int BATCH = 100;

  private DedupBenchmark() {}

  /** One implementation behind the benchmark's loop; returns how many of the batch were fresh. */
  private interface Subject {
    int admitAndConfirm(List<Accepted> batch);
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int maxEntries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    List<List<Accepted>> pool = pool(2 * maxEntries / BATCH + 1);
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    Duration window = Duration.ofHours(1);
    ReferenceDeduplicator reference = new ReferenceDeduplicator(window, maxEntries, clock);
    Deduplicator current = new Deduplicator(window, maxEntries, clock);
    Subject old = batch -> {
      ReferenceDeduplicator.Admission admission = reference.admit(batch, null).result();
      reference.confirm(admission.ticket());
      return admission.fresh().size();
    };
    Subject now = batch -> {
      Deduplicator.Admission admission = current.admit(batch, null).result();
      current.confirm(admission.ticket());
      return admission.fresh().size();
    };
    // Warm-up: fill both memories to the bound and let the JIT settle.
    int[] next = {0, 0};
    run(old, pool, next, 0, 1.0 + seconds / 4);
    run(now, pool, next, 1, 1.0 + seconds / 4);
    double[] oldNanos = new double[2];
    double[] newNanos = new double[2];
    int rounds = 10;
    for (int round = 0; round < rounds; round++) {
      add(oldNanos, run(old, pool, next, 0, seconds / rounds / 2));
      add(newNanos, run(now, pool, next, 1, seconds / rounds / 2));
    }
    System.out.printf("maxEntries %d, held: reference %d, current %d%n", maxEntries, reference.size(), current.size());
    System.out.printf("reference : %7.1f ns/id wall, %7.1f ns/id cpu%n", oldNanos[0] / rounds, oldNanos[1] / rounds);
    System.out.printf("current   : %7.1f ns/id wall, %7.1f ns/id cpu (%.2fx wall, %.2fx cpu)%n", newNanos[0] / rounds,
        newNanos[1] / rounds, oldNanos[0] / newNanos[0], oldNanos[1] / newNanos[1]);
  }

  private static void add(double[] sums, double[] figures) {
    sums[0] += figures[0];
    sums[1] += figures[1];
  }

  /** Runs batches for about {@code seconds}; returns wall and CPU ns per id. */
  private static double[] run(Subject subject, List<List<Accepted>> pool, int[] next, int who, double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long ids = 0;
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end;
    do {
      for (int i = 0; i < 64; i++) {
        List<Accepted> batch = pool.get(next[who]);
        next[who] = (next[who] + 1) % pool.size();
        if (subject.admitAndConfirm(batch) != BATCH) {
          throw new IllegalStateException("a fresh id was taken for a duplicate");
        }
        ids += BATCH;
      }
      end = System.nanoTime();
    } while (end < deadline);
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    return new double[] {(double) (end - start) / ids, (double) cpu / ids};
  }

  /** Batches of events with random UUID-shaped messageIds, as SDKs send them. */
  private static List<List<Accepted>> pool(int batches) {
    SplittableRandom random = new SplittableRandom(13);
    Buffer payload = Buffer.buffer("{}");
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    List<List<Accepted>> pool = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<Accepted> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        String messageId = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        batch.add(new Accepted(new Event(messageId, "track", "analytics", "web", messageId, at, payload)));
      }
      pool.add(batch);
    }
    return pool;
  }
}
