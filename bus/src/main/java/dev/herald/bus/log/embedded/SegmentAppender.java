package dev.herald.bus.log.embedded;

import dev.herald.destination.api.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The file side of the writer: encodes records into one buffer, writes them at the end of the
 * newest segment, starts a new segment when one is full, forces the file as the fsync policy
 * asks, and can put the files back as they were before a group that failed. Used by the writer
 * thread only.
 */
final class SegmentAppender {

  private static final int BUFFER_BYTES = 2 * 1024 * 1024;

  /** Where the files stood before a group, to undo it. */
  record GroupStart(Segment segment, long bytes, long nextOffset) {}

  private final Path segmentsDir;
  private final NavigableMap<Long, Segment> segments;
  private final long segmentBytes;
  private final boolean fsyncAlways;
  private final long fsyncIntervalNanos;
  private final ChannelOpener channels;
  private final ArrayList<Segment> createdInGroup = new ArrayList<>();
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  private Segment activeSegment;
  private FileChannel active;
  /** Bytes of the active segment, written plus still in the buffer. */
  private long activeBytes;
  private long nextOffset;
  private boolean unforced;
  private long lastForceNanos = System.nanoTime();
  private volatile long fsyncCount;

  /** Continues the newest of {@code segments}, whose records end before {@code nextOffset}. */
  SegmentAppender(Path segmentsDir, NavigableMap<Long, Segment> segments, long nextOffset,
      EmbeddedLogOptions options) throws IOException {
    this.segmentsDir = segmentsDir;
    this.segments = segments;
    this.segmentBytes = options.segmentBytes();
    this.fsyncAlways = options.fsync() == EmbeddedLogOptions.Fsync.ALWAYS;
    this.fsyncIntervalNanos = options.fsyncInterval() == null ? TimeUnit.SECONDS.toNanos(1)
        : Math.max(1, options.fsyncInterval().toNanos());
    this.channels = options.channels();
    this.nextOffset = nextOffset;
    this.activeSegment = segments.lastEntry().getValue();
    this.active = openForAppend(activeSegment.path);
    this.activeBytes = active.size();
  }

  /** Remembers where a group starts; {@link #rollBack} returns there. */
  GroupStart startGroup() {
    createdInGroup.clear();
    return new GroupStart(activeSegment, activeBytes, nextOffset);
  }

  /** Encodes one record with the next offset, rolling over first if it would overfill the segment. */
  void append(Event event) throws IOException {
    int bound = RecordFormat.maxRecordBytes(event);
    if (buffer.remaining() < bound) {
      flushBuffer();
      if (buffer.capacity() < bound) {
        buffer = ByteBuffer.allocateDirect(bound);
      }
    }
    int start = buffer.position();
    int size = RecordFormat.encode(buffer, nextOffset, event, crc);
    if (activeBytes > 0 && activeBytes + size > segmentBytes) {
      // the records before this one belong to the full segment; this one opens the next
      int end = buffer.position();
      buffer.limit(start).position(0);
      writeFully();
      buffer.limit(end).position(start);
      buffer.compact();
      roll(nextOffset);
    }
    activeBytes += size;
    nextOffset++;
  }

  /**
   * Writes the buffered records to the file and makes them durable as the policy says: forced now
   * under ALWAYS; under INTERVAL forced only once the interval since the last force has passed.
   */
  void flushAndSync() throws IOException {
    flushBuffer();
    activeSegment.sizeBytes = activeBytes;
    if (fsyncAlways) {
      force();
    } else {
      unforced = true;
      if (System.nanoTime() - lastForceNanos >= fsyncIntervalNanos) {
        force();
      }
    }
  }

  void force() throws IOException {
    active.force(false);
    fsyncCount++;
    unforced = false;
    lastForceNanos = System.nanoTime();
  }

  /** Whether written records still wait for a force (only under INTERVAL). */
  boolean unforced() {
    return unforced;
  }

  /** When, in {@link System#nanoTime} terms, the unforced records are due to be forced. */
  long forceDueNanos() {
    return lastForceNanos + fsyncIntervalNanos;
  }

  long fsyncCount() {
    return fsyncCount;
  }

  /** Whether the group since {@link #startGroup} started a new segment. */
  boolean rolledInGroup() {
    return !createdInGroup.isEmpty();
  }

  /** Everything written so far, as readers may see it once it is durable. */
  DurableEnd end() {
    return new DurableEnd(nextOffset, activeSegment.baseOffset, activeBytes);
  }

  Segment activeSegment() {
    return activeSegment;
  }

  /**
   * Puts the files back as they were at {@code start}: deletes the segments the group created
   * and truncates the one it started in, so the log stays usable (a full disk may free up).
   */
  void rollBack(GroupStart start) throws IOException {
    buffer.clear();
    try {
      active.close();
    } catch (IOException ignored) {
      // the channel may be what failed
    }
    for (Segment created : createdInGroup) {
      segments.remove(created.baseOffset);
      Files.deleteIfExists(created.path);
    }
    createdInGroup.clear();
    active = openForAppend(start.segment().path);
    active.truncate(start.bytes());
    active.force(false);
    active.position(start.bytes());
    activeSegment = start.segment();
    activeSegment.sizeBytes = start.bytes();
    activeBytes = start.bytes();
    nextOffset = start.nextOffset();
  }

  void close() throws IOException {
    active.close();
  }

  /** Test hook: closes the active file underneath the writer, as a failing disk would. */
  void closeActiveChannelForTest() throws IOException {
    active.close();
  }

  /** Closes the full segment (forced, so only the newest file can ever have a torn tail). */
  private void roll(long baseOffset) throws IOException {
    force();
    activeSegment.sizeBytes = activeBytes;
    Path path = segmentsDir.resolve(Segment.fileName(baseOffset));
    FileChannel next = channels.open(path, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.READ));
    FileChannel closed = active;
    active = next;
    activeSegment = new Segment(baseOffset, path, 0);
    activeBytes = 0;
    createdInGroup.add(activeSegment);
    closed.close();
    CursorStore.forceDirectory(segmentsDir);
    segments.put(baseOffset, activeSegment);
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    writeFully();
    buffer.clear();
  }

  private void writeFully() throws IOException {
    while (buffer.hasRemaining()) {
      active.write(buffer);
    }
  }

  private FileChannel openForAppend(Path path) throws IOException {
    FileChannel channel = channels.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ));
    channel.position(channel.size());
    return channel;
  }
}
