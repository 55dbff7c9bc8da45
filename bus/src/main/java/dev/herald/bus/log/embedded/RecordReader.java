package dev.herald.bus.log.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  private long windowFilePosition;
  private int bodyLength;
  private String problem;

  RecordReader(Path path, long filePosition) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.windowFilePosition = filePosition;
  }

  Path path() {
    return path;
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

  /** Makes {@code needed} bytes from the current record start available; false at end of file. */
  private boolean fill(int needed) throws IOException {
    if (window.remaining() >= needed) {
      return true;
    }
    windowFilePosition += window.position();
    if (window.capacity() < needed) {
      ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, window.capacity() * 2));
      larger.put(window);
      window = larger;
    } else {
      window.compact();
    }
    // compact/put leave position after the kept bytes: read the rest at the matching file position
    while (window.position() < needed) {
      int read = channel.read(window, windowFilePosition + window.position());
      if (read <= 0) {
        break;
      }
    }
    window.flip();
    return window.remaining() >= needed;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
