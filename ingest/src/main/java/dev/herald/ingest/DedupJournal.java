package dev.herald.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the deduplication memory in {@code stateDir}: {@code dedup.snapshot} (every id of the
 * window at the last compaction) and {@code dedup.journal} (ids confirmed since), both sequences
 * of 16-byte records (fingerprint, accepted-at millis) after an 8-byte header. One thread of its
 * own writes the journal as appends are confirmed (no fsync: the OS keeps the bytes through a
 * crash of the process) and, every {@link #COMPACT_INTERVAL} and at close, folds both files into
 * a new fsynced snapshot. A power loss can forget the ids confirmed since the last compaction;
 * nothing else does. The event loop only ever enqueues.
 */
final class DedupJournal {

  private static final Logger LOG = LoggerFactory.getLogger(DedupJournal.class);
  static final Duration COMPACT_INTERVAL = Duration.ofMinutes(1);
  static final String SNAPSHOT = "dedup.snapshot";
  static final String JOURNAL = "dedup.journal";
  private static final long MAGIC = 0x484C44445550_0001L; // "HLDDUP" v1
  private static final int HEADER = 8;
  private static final int RECORD = 16;
  private static final int QUEUE_BATCHES = 8192;
  private static final long[] WAKE = new long[0];
  private static final long GATHER_MILLIS = 50;

  /** Receives each persisted id when the state is loaded. */
  interface Restorer {
    void restore(long fingerprint, long acceptedAtMillis);
  }

  private final Path dir;
  private final long windowMillis;
  private final int maxEntries;
  private final Clock clock;
  private final BlockingQueue<long[]> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Thread writer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object gate = new Object();
  private volatile boolean closing;
  private volatile boolean halted;
  private FileChannel journal;
  private long lastCompaction;

  private DedupJournal(Path dir, Duration window, int maxEntries, Clock clock) {
    this.dir = dir;
    this.windowMillis = window.toMillis();
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.writer = new Thread(this::run, "herald-ingest-dedup");
    this.writer.setDaemon(true);
  }

  /**
   * Loads the persisted ids into {@code restorer}, compacts them, and starts the writer.
   * Blocking: call it off the event loop.
   */
  static DedupJournal open(Path dir, Duration window, int maxEntries, Clock clock, Restorer restorer)
      throws IOException {
    Files.createDirectories(dir);
    DedupJournal journal = new DedupJournal(dir, window, maxEntries, clock);
    long cutoff = clock.millis() - journal.windowMillis;
    journal.read(dir.resolve(SNAPSHOT), cutoff, restorer);
    journal.read(dir.resolve(JOURNAL), cutoff, restorer);
    journal.compact();
    journal.writer.start();
    return journal;
  }

  /** Queues confirmed ids for the journal; never blocks. */
  void record(List<Long> fingerprints, long acceptedAtMillis) {
    LongList ids = new LongList(fingerprints.size());
    fingerprints.forEach(ids::add);
    record(ids, acceptedAtMillis);
  }

  /** Queues confirmed ids for the journal; never blocks. */
  void record(LongList fingerprints, long acceptedAtMillis) {
    int n = fingerprints.size();
    long[] batch = new long[n * 2];
    for (int i = 0; i < n; i++) {
      batch[2 * i] = fingerprints.get(i);
      batch[2 * i + 1] = acceptedAtMillis;
    }
    if (queue.offer(batch)) {
      enqueued.addAndGet(n);
    } else {
      long count = dropped.addAndGet(n);
      if (count == n || count % 100_000 < n) {
        LOG.warn("The dedup journal in {} falls behind: {} ids not persisted (still deduplicated until a restart)",
            dir, count);
      }
    }
  }

  /** Writes what is queued, compacts into the snapshot and stops. Blocking. */
  void close() throws InterruptedException {
    closing = true;
    wake();
    stopped.await();
  }

  /** Not an interrupt: that would close the file channel under a write. */
  private void wake() throws InterruptedException {
    synchronized (gate) {
      gate.notifyAll();
    }
    if (stopped.getCount() > 0) {
      queue.put(WAKE);
    }
  }

  /**
   * Lets ids gather for a moment before a write, so that a busy ingest wakes this thread a few
   * times a second rather than once per request.
   */
  private void gather() {
    synchronized (gate) {
      if (!closing && !halted) {
        try {
          gate.wait(GATHER_MILLIS);
        } catch (InterruptedException e) {
          // not interrupted on purpose; write now
        }
      }
    }
  }

  /** Test hook: waits until everything queued so far is written to the journal file. */
  void awaitWrittenForTest() throws InterruptedException {
    long target = enqueued.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (written.get() < target && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /** Test hook: stops the writer as a crash would, with no compaction and no fsync. */
  void haltForTest() throws InterruptedException {
    halted = true;
    wake();
    stopped.await();
  }

  private void run() {
    try {
      while (!closing && !halted) {
        long[] first;
        try {
          first = queue.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // Nothing interrupts this thread on purpose; carry on to a clean stop.
          break;
        }
        if (halted) {
          break;
        }
        if (first != null && first != WAKE) {
          gather();
        }
        try {
          if (first != null) {
            write(first);
          }
          if (clock.millis() - lastCompaction >= COMPACT_INTERVAL.toMillis()) {
            compact();
          }
        } catch (IOException | RuntimeException e) {
          LOG.warn("Writing the dedup journal in {} failed; retrying on the next batch", dir, e);
        }
      }
      if (!halted) {
        try {
          write(null);
          compact();
          journal.close();
        } catch (IOException | RuntimeException e) {
          LOG.warn("Saving the dedup state in {} at stop failed; ids of the last minute may be accepted again",
              dir, e);
        }
      } else if (journal != null) {
        closeQuietly(journal);
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Writes the given batch and whatever else is queued, in one go. */
  private void write(long[] first) throws IOException {
    List<long[]> batches = new ArrayList<>();
    if (first != null) {
      batches.add(first);
    }
    queue.drainTo(batches);
    int records = 0;
    for (long[] batch : batches) {
      records += batch.length / 2;
    }
    ByteBuffer buffer = ByteBuffer.allocate(records * RECORD);
    for (long[] batch : batches) {
      putAll(buffer, batch);
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      journal.write(buffer);
    }
    written.addAndGet(records);
  }

  private static void putAll(ByteBuffer buffer, long[] batch) {
    for (long value : batch) {
      buffer.putLong(value);
    }
  }

  /** Folds snapshot and journal into a new snapshot (newest ids, within the bound), then a fresh journal. */
  private void compact() throws IOException {
    if (journal != null) {
      journal.force(false);
      journal.close();
      journal = null;
    }
    Path snapshot = dir.resolve(SNAPSHOT);
    Path journalFile = dir.resolve(JOURNAL);
    long cutoff = clock.millis() - windowMillis;
    long[] live = {0};
    Restorer counter = (fingerprint, at) -> live[0]++;
    read(snapshot, cutoff, counter);
    read(journalFile, cutoff, counter);
    long[] skip = {Math.max(0, live[0] - maxEntries)};
    Path temp = dir.resolve(SNAPSHOT + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      buffer.putLong(MAGIC);
      Restorer copier = (fingerprint, at) -> {
        if (skip[0] > 0) {
          skip[0]--;
          return;
        }
        if (buffer.remaining() < RECORD) {
          flush(out, buffer);
        }
        buffer.putLong(fingerprint).putLong(at);
      };
      read(snapshot, cutoff, copier);
      read(journalFile, cutoff, copier);
      flush(out, buffer);
      out.force(true);
    }
    Files.move(temp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory();
    journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    journal.write(ByteBuffer.allocate(HEADER).putLong(0, MAGIC));
    lastCompaction = clock.millis();
  }

  private static void flush(FileChannel out, ByteBuffer buffer) {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    buffer.clear();
  }

  /** Streams a file's records newer than {@code cutoff}; a torn last record or a foreign file is skipped. */
  private void read(Path file, long cutoff, Restorer restorer) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      boolean header = true;
      while (in.read(buffer) >= 0) {
        buffer.flip();
        if (header) {
          if (buffer.remaining() < HEADER) {
            buffer.compact();
            continue;
          }
          if (buffer.getLong() != MAGIC) {
            LOG.warn("Ignoring {}: not a Herald dedup file", file);
            return;
          }
          header = false;
        }
        while (buffer.remaining() >= RECORD) {
          long fingerprint = buffer.getLong();
          long at = buffer.getLong();
          if (at > cutoff && fingerprint != 0) {
            restorer.restore(fingerprint, at);
          }
        }
        buffer.compact();
      }
    } catch (NoSuchFileException absent) {
      // nothing persisted yet
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void forceDirectory() {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can sync a directory; the rename is still atomic.
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the process is going away
    }
  }
}
