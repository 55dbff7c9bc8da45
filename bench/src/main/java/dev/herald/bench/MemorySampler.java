package dev.herald.bench;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples Herald's memory twice a second on a daemon thread: the resident set of its process tree
 * ({@link ProcessTree}) and its heap from {@code /metrics}. {@link #takePeaks()} answers the peaks
 * since the previous call, so a benchmark can report them per phase.
 */
final class MemorySampler implements AutoCloseable {
  /** Peaks of one phase, in MB; heapMax is the JVM's bound as /metrics reports it. */
  record Peaks(long rssMb, long heapUsedMb, long heapCommittedMb, long heapMaxMb, int samples) {
    static final Peaks NONE = new Peaks(0, 0, 0, 0, 0);

    Peaks max(Peaks o) {
      return new Peaks(Math.max(rssMb, o.rssMb), Math.max(heapUsedMb, o.heapUsedMb),
          Math.max(heapCommittedMb, o.heapCommittedMb), Math.max(heapMaxMb, o.heapMaxMb), samples + o.samples);
    }
  }

  private static final long MB = 1024 * 1024;
  private final ProcessHandle herald;
  private final HeraldAdmin admin;
  private final AtomicReference<Peaks> peaks = new AtomicReference<>(Peaks.NONE);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastError;

  MemorySampler(ProcessHandle herald, HeraldAdmin admin) {
    this.herald = herald;
    this.admin = admin;
    this.thread = new Thread(this::loop, "memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** The peaks since the previous call (or the start). */
  Peaks takePeaks() {
    return peaks.getAndSet(Peaks.NONE);
  }

  /** Why the latest heap read failed, or null. */
  String lastError() {
    return lastError;
  }

  private void loop() {
    while (running) {
      long rssMb = ProcessTree.rssKb(herald) / 1024;
      Peaks sample;
      try {
        HeraldAdmin.Heap heap = admin.heap();
        sample = new Peaks(rssMb, heap.used() / MB, heap.committed() / MB, heap.max() / MB, 1);
      } catch (Exception e) {
        lastError = e.toString();
        sample = new Peaks(rssMb, 0, 0, 0, 1);
      }
      Peaks s = sample;
      peaks.accumulateAndGet(s, Peaks::max);
      try {
        Thread.sleep(500); // the sampling period
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
