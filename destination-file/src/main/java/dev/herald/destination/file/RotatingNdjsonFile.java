package dev.herald.destination.file;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;

/**
 * An append-only NDJSON file rotated by size: {@code path} → {@code path.1} → {@code path.2}
 * …, at most {@code maxFiles} files in all. Every method blocks: call it from a worker thread.
 * Methods are synchronized because Herald may call from several contexts.
 */
final class RotatingNdjsonFile {

  private static final byte NEWLINE = '\n';

  private final Path path;
  private final long maxBytes;
  private final int maxFiles;
  private final Logger logger;
  private FileChannel channel;
  private long size;
  /** Set if a write ever ran on an event-loop thread; tests assert it never does. */
  private volatile boolean wroteOnEventLoop;

  RotatingNdjsonFile(FileSinkConfig config, Logger logger) {
    this.path = config.path();
    this.maxBytes = config.maxBytes();
    this.maxFiles = config.maxFiles();
    this.logger = logger;
  }

  Path path() {
    return path;
  }

  boolean wroteOnEventLoop() {
    return wroteOnEventLoop;
  }

  /** Opens the live file for appending, creating it and its directories if needed. */
  synchronized void open() throws IOException {
    if (channel != null) return;
    Files.createDirectories(path.getParent());
    boolean created = Files.notExists(path);
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    // A new file's name lives in its directory: sync it too, or a crash could lose the file.
    if (created) syncDirectory();
  }

  /**
   * Appends one line per payload and returns once they are on disk. Rotates between lines,
   * never inside one, so a single line larger than {@code maxBytes} still lands whole.
   * On failure the half-written tail is cut off, so the retried batch starts on a clean line.
   */
  synchronized void append(List<Buffer> payloads) throws IOException {
    if (Context.isOnEventLoopThread()) wroteOnEventLoop = true;
    open();
    long batchStart = size;
    try {
      Buffer pending = Buffer.buffer();
      for (Buffer payload : payloads) {
        Buffer line = singleLine(payload);
        if (size > 0 && size + line.length() + 1 > maxBytes) {
          write(pending);
          channel.force(false);
          pending = Buffer.buffer();
          rotate();
          batchStart = 0;
        }
        pending.appendBuffer(line).appendByte(NEWLINE);
        size += line.length() + 1;
      }
      write(pending);
      // fdatasync: the data, and the file length needed to read it back.
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      discardFrom(batchStart);
      throw e;
    }
  }

  /** Closes the file; a later {@link #append} reopens it. */
  synchronized void close() throws IOException {
    if (channel == null) return;
    try {
      channel.force(false);
    } finally {
      channel.close();
      channel = null;
    }
  }

  private void write(Buffer bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes.getBytes());
    while (buffer.hasRemaining()) channel.write(buffer);
  }

  /** path.(n-1) is deleted, every path.i moves to path.(i+1), path becomes path.1, a fresh path opens. */
  private void rotate() throws IOException {
    close();
    if (maxFiles == 1) {
      Files.delete(path);
    } else {
      Files.deleteIfExists(rotated(maxFiles - 1));
      for (int i = maxFiles - 2; i >= 1; i--) {
        if (Files.exists(rotated(i))) Files.move(rotated(i), rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(path, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    }
    logger.info("rotated {} (keeping {} files)", path, maxFiles);
    open();
  }

  private Path rotated(int index) {
    return path.resolveSibling(path.getFileName() + "." + index);
  }

  /**
   * Stored payloads are compact JSON, but a raw record may arrive pretty-printed: a line
   * break inside would split it across NDJSON lines, so such a payload is re-encoded.
   */
  private static Buffer singleLine(Buffer payload) {
    for (int i = 0; i < payload.length(); i++) {
      byte b = payload.getByte(i);
      if (b == '\n' || b == '\r') return Json.encodeToBuffer(Json.decodeValue(payload));
    }
    return payload;
  }

  /** Best effort: cut a failed batch's bytes and drop the channel so the next append reopens. */
  private void discardFrom(long position) {
    try {
      if (channel != null) {
        channel.truncate(position);
        channel.close();
      }
    } catch (IOException suppressed) {
      logger.warn("could not cut the partial write of {}: {}", path, suppressed.toString());
    } finally {
      channel = null;
    }
  }

  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException unsupported) {
      // Some platforms cannot open a directory as a channel; the file's data is still synced.
    }
  }
}
