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
 * Deduplication alone, in one thread: admit and confirm 100-event batches of messageIds (what
 * {@code /v1/batch} does per request), through {@link ReferenceDeduplicator} (boxed
 * fingerprints) and {@link Deduplicator} (a filtered set per bucket), alternating rounds in the
 * same run; prints ns per id of wall
 * time and of this thread's CPU time (the steadier figure on a shared machine), and the bytes
 * each holds per remembered id. The memory is kept full: ids come round again from a pool twice
 * {@code maxEntries} long, so each is fresh again (evicted) by then, and every batch also pays
 * for the eviction of the oldest eighth now and then. {@code duplicates} of each batch's 100 ids
 * (default 3) repeat ids of a batch a quarter of the bound earlier, still remembered. With
 * {@code pressureKb} (default 0), each batch is followed by that many KB of other memory traffic
 * through a 256 MB buffer, as the rest of ingest streams request bytes, records and parser state
 * through the same caches: the time per id then includes it, the same for every subject. Not a
 * test: run it with {@code java -Xmx3g -cp <ingest test classpath> dev.herald.ingest.DedupBenchmark
 * [seconds] [maxEntries] [duplicates] [pressureKb]}.
 */
public final class DedupBenchmark {

  private static final int BATCH = 100;
  private static final long[] TRAFFIC = new long[32 * 1024 * 1024];
  private static int pressureLongs;
  private static int trafficAt;
  static long trafficSum;

  private DedupBenchmark() {}

  /** One implementation behind the benchmark's loop; returns how many of the batch were fresh. */
  private interface Subject {
    int admitAndConfirm(List<Accepted> batch);
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int maxEntries = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int duplicates = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    pressureLongs = (args.length > 3 ? Integer.parseInt(args[3]) : 0) * 1024 / 8;
    List<List<Accepted>> pool = pool(2 * maxEntries / BATCH + 1, duplicates, Math.max(1, maxEntries / BATCH / 4));
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    Duration window = Duration.ofHours(1);
    ReferenceDeduplicator reference = new ReferenceDeduplicator(window, maxEntries, clock);
    Deduplicator current = new Deduplicator(window, maxEntries, clock);
    Subject[] subjects = {
        batch -> {
          ReferenceDeduplicator.Admission admission = reference.admit(batch, null).result();
          reference.confirm(admission.ticket());
          return admission.fresh().size();
        },
        batch -> {
          Deduplicator.Admission admission = current.admit(batch, null).result();
          current.confirm(admission.ticket());
          return admission.fresh().size();
        }};
    String[] names = {"reference (boxed, per bucket)", "current (filtered set per bucket)"};
    // Warm-up: fill every memory to the bound (a full pass of the pool) and let the JIT settle.
    int[] next = new int[subjects.length];
    for (int who = 0; who < subjects.length; who++) {
      run(subjects[who], pool, next, who, 1.0 + seconds / 4, duplicates);
    }
    double[][] nanos = new double[subjects.length][2];
    int rounds = 20;
    double[][][] perRound = new double[subjects.length][rounds][];
    for (int round = 0; round < rounds; round++) {
      for (int who = 0; who < subjects.length; who++) {
        perRound[who][round] = run(subjects[who], pool, next, who, seconds / rounds / subjects.length, duplicates);
        add(nanos[who], perRound[who][round]);
      }
    }
    System.out.printf("pressure %d KB per batch%n", pressureLongs * 8 / 1024);
    System.out.printf("maxEntries %d, %d%% duplicates, held: reference %d, current %d%n", maxEntries,
        duplicates, reference.size(), current.size());
    for (int who = 0; who < subjects.length; who++) {
      System.out.printf("%-34s: %7.1f ns/id wall, %7.1f ns/id cpu; speed-up over current, median of the rounds: "
          + "%.2fx wall, %.2fx cpu%n", names[who], nanos[who][0] / rounds, nanos[who][1] / rounds,
          medianRatio(perRound[1], perRound[who], 0), medianRatio(perRound[1], perRound[who], 1));
    }
    System.out.printf("memory: current %.1f MB (%.1f bytes/id held)%n",
        current.footprintBytes() / 1e6, (double) current.footprintBytes() / current.size());
    for (int who = 0; who < subjects.length; who++) {
      if (next[who] < pool.size() / 2) {
        System.out.println("(" + names[who] + " never reached the bound: raise seconds for a full memory)");
      }
    }
  }

  /** Reads and writes one word per cache line of the next {@code pressureLongs} of the buffer. */
  private static void traffic() {
    long sum = 0;
    for (int n = 0; n < pressureLongs; n += 8) {
      sum += TRAFFIC[trafficAt]++;
      trafficAt = (trafficAt + 8) & (TRAFFIC.length - 1);
    }
    trafficSum += sum;
  }

  /** The median over rounds of base / other: steadier than the ratio of sums on a busy machine. */
  private static double medianRatio(double[][] base, double[][] other, int figure) {
    double[] ratios = new double[base.length];
    for (int round = 0; round < base.length; round++) {
      ratios[round] = base[round][figure] / other[round][figure];
    }
    java.util.Arrays.sort(ratios);
    return ratios[ratios.length / 2];
  }

  private static void add(double[] sums, double[] figures) {
    sums[0] += figures[0];
    sums[1] += figures[1];
  }

  /** Runs batches for about {@code seconds}; returns wall and CPU ns per id. */
  private static double[] run(Subject subject, List<List<Accepted>> pool, int[] next, int who, double seconds,
      int duplicates) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long ids = 0;
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end;
    do {
      for (int i = 0; i < 64; i++) {
        int position = next[who] % pool.size();
        List<Accepted> batch = pool.get(position);
        next[who]++;
        int expected = position < pool.size() / 8 ? BATCH : BATCH - duplicates;
        if (subject.admitAndConfirm(batch) != expected) {
          throw new IllegalStateException("a fresh id was taken for a duplicate or a duplicate for a fresh id");
        }
        traffic();
        ids += BATCH;
      }
      end = System.nanoTime();
    } while (end < deadline);
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    return new double[] {(double) (end - start) / ids, (double) cpu / ids};
  }

  /**
   * Batches of events with random UUID-shaped messageIds, as SDKs send them; from batch
   * {@code batches / 8} on, the last {@code duplicates} of each repeat ids of the batch {@code lag} earlier.
   */
  private static List<List<Accepted>> pool(int batches, int duplicates, int lag) {
    SplittableRandom random = new SplittableRandom(13);
    Buffer payload = Buffer.buffer("{}");
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    List<List<Accepted>> pool = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<Accepted> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        if (b >= batches / 8 && i >= BATCH - duplicates) {
          batch.add(pool.get(b - lag).get(i - (BATCH - duplicates)));
          continue;
        }
        String messageId = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        batch.add(new Accepted(new Event(messageId, "track", "analytics", "web", messageId, at, payload)));
      }
      pool.add(batch);
    }
    return pool;
  }
}
