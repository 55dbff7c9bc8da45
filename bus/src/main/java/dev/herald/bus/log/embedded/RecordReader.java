package dev.herald.bus.log.embedded;

import dev.herald.destination.api.Event;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads one segment file record by record from a remembered file position, through a heap
 * window refilled with positional reads (so the writer's appends to the same file are fine).
 */
final class RecordReader implements Closeable {

  enum Status { RECORD, END, TORN, CORRUPT }

  private static final int INITIAL_WINDOW = 256 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  /** position = start of the current record; limit = end of the bytes read so far. */
  private ByteBuffer window = ByteBuffer.allocate(INITIAL_WINDOW).limit(0);
  /** The window size to read with: grows when a record needs more. */
  private int preferredWindow = INITIAL_WINDOW;
  /**
   * All of the window's array as a buffer, once events hold slices of it ({@link #event()}): then
   * the window is never written again, the next read goes to a fresh one.
   */
  private Buffer lent;
  private final RecentStrings recent = new RecentStrings(RecordFormat.RECENT_FIELDS);
  private long windowFilePosition;
  /** File position not to read at or beyond: the durable end when this is the newest segment. */
  private long limit = Long.MAX_VALUE;
  private int bodyLength;
  private String problem;

  RecordReader(Path path, long filePosition) throws IOException {
    this(ChannelOpener.DEFAULT, path, filePosition);
  }

  RecordReader(ChannelOpener channels, Path path, long filePosition) throws IOException {
    this.path = path;
    this.channel = channels.open(path, Set.of(StandardOpenOption.READ));
    this.windowFilePosition = filePosition;
  }

  Path path() {
    return path;
  }

  /** Reads no byte at or past {@code filePosition} from now on (until raised again). */
  void limit(long filePosition) {
    limit = filePosition;
  }

  /** File position of the current record (or of the end, after the last one). */
  long position() {
    return windowFilePosition + window.position();
  }

  /**
   * Examines the record at {@link #position()}. RECORD: complete, checksum and structure valid,
   * body available through {@link #body()}; END: clean end of file; TORN: the file ends inside
   * the record; CORRUPT: bad length, checksum or structure ({@link #problem()} says which).
   */
  Status next() throws IOException {
    problem = null;
    if (!fill(RecordFormat.HEADER_BYTES)) {
      if (window.remaining() == 0) {
        return Status.END;
      }
      problem = "file ends inside a record header";
      return Status.TORN;
    }
    int at = window.position();
    int length = window.getInt(at);
    int expectedCrc = window.getInt(at + 4);
    if (length < RecordFormat.MIN_BODY_BYTES || length > RecordFormat.MAX_BODY_BYTES) {
      problem = "invalid record length " + length;
      return Status.CORRUPT;
    }
    if (!fill(RecordFormat.HEADER_BYTES + length)) {
      problem = "file ends inside a record of " + length + " bytes";
      return Status.TORN;
    }
    at = window.position();
    int bodyStart = at + RecordFormat.HEADER_BYTES;
    if (!RecordFormat.crcMatches(window, bodyStart, length, expectedCrc, crc)) {
      problem = "CRC32C mismatch";
      return Status.CORRUPT;
    }
    String structure = RecordFormat.checkBody(window, bodyStart, length);
    if (structure != null) {
      problem = structure;
      return Status.CORRUPT;
    }
    bodyLength = length;
    return Status.RECORD;
  }

  /** The window holding the current record's body; valid after {@link #next()} returned RECORD. */
  ByteBuffer body() {
    return window;
  }

  /**
   * The current record (valid after {@link #next()} returned RECORD) as an event whose payload is
   * a slice of the window, not a copy: the bytes read from the file are the bytes delivered.
   */
  Event event() {
    if (lent == null) lent = BufferInternal.buffer(Unpooled.wrappedBuffer(window.array()));
    return RecordFormat.decode(window, bodyStart(), bodyLength, lent, recent);
  }

  int bodyStart() {
    return window.position() + RecordFormat.HEADER_BYTES;
  }

  int bodyLength() {
    return bodyLength;
  }

  long offset() {
    return RecordFormat.offsetOf(window, bodyStart());
  }

  String problem() {
    return problem;
  }

  /** Moves past the current record. */
  void advance() {
    window.position(window.position() + RecordFormat.HEADER_BYTES + bodyLength);
  }

  /**
   * Makes {@code needed} bytes from the current record start available; false when the file (or
   * the limit) ends first. Never reads at or past {@link #limit}.
   */
  private boolean fill(int needed) throws IOException {
    if (window.remaining() >= needed) {
      return true;
    }
    long start = windowFilePosition + window.position();
    long available = Math.min(limit, channel.size()) - start;
    windowFilePosition = start;
    if (needed > preferredWindow && available >= needed) {
      // grow only for bytes that are there: a garbage length must not allocate 16 MB
      preferredWindow = Math.max(needed, preferredWindow * 2);
    }
    // A fresh window holds what can be read now, up to the preferred size: a slow tail read
    // record by record must not allocate a whole window per record.
    int want = (int) Math.min(preferredWindow, Math.max(available, window.remaining()));
    if (lent != null || window.capacity() < want) {
      ByteBuffer fresh = ByteBuffer.allocate(Math.max(want, window.remaining()));
      fresh.put(window);
      window = fresh;
      lent = null;
    } else {
      window.compact();
    }
    // compact/put leave position after the kept bytes: read the rest at the matching file position
    window.limit((int) Math.min(window.capacity(),
        Math.max(window.position(), limit - windowFilePosition)));
    while (window.position() < needed && window.hasRemaining()) {
      int read = channel.read(window, windowFilePosition + window.position());
      if (read <= 0) {
        break;
      }
    }
    window.flip();
    return window.remaining() >= needed;
  }

  /**
   * After a damaged record: moves forward byte by byte to the next frame that is complete within
   * the limit, has a plausible length, the current version, an offset in [{@code minOffset},
   * {@code maxOffset}), a matching checksum and a valid structure.
   *
   * @return true positioned at that frame ({@link #next()} returns it); false positioned at the
   *     end of the readable bytes
   */
  boolean resync(long minOffset, long maxOffset) throws IOException {
    int probe = RecordFormat.HEADER_BYTES + RecordFormat.MIN_BODY_BYTES;
    while (true) {
      if (!window.hasRemaining() && !fill(1)) {
        return false;
      }
      window.position(window.position() + 1);
      if (!fill(probe)) {
        // too few bytes left for any record: nothing more to find before the end
        skipToEnd();
        return false;
      }
      int at = window.position();
      int length = window.getInt(at);
      if (length < RecordFormat.MIN_BODY_BYTES || length > RecordFormat.MAX_BODY_BYTES
          || window.get(at + RecordFormat.HEADER_BYTES) != RecordFormat.VERSION) {
        continue;
      }
      long offset = RecordFormat.offsetOf(window, at + RecordFormat.HEADER_BYTES);
      if (offset < minOffset || offset >= maxOffset
          || !fill(RecordFormat.HEADER_BYTES + length)) {
        continue;
      }
      at = window.position();
      int bodyStart = at + RecordFormat.HEADER_BYTES;
      if (RecordFormat.crcMatches(window, bodyStart, length, window.getInt(at + 4), crc)
          && RecordFormat.checkBody(window, bodyStart, length) == null) {
        return true;
      }
    }
  }

  /** Moves past every byte readable now (file end or limit). */
  private void skipToEnd() throws IOException {
    long end = Math.max(position(), Math.min(limit, channel.size()));
    moveTo(end);
  }

  /** Forgets the window and continues at {@code filePosition}. */
  void moveTo(long filePosition) {
    window.clear().limit(0);
    windowFilePosition = filePosition;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
