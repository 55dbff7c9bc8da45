package dev.herald.bus.deadletter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's dead letters: an append-only NDJSON file {@code <dir>/<destination id>.ndjson}.
 * An append completes only after its lines are fsynced, so a dead letter the runner counts as
 * settled survives a crash. All file work runs on worker threads, serialized by this object's lock.
 */
public final class DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

  private final Vertx vertx;
  private final String destinationId;
  private final Path file;
  private FileChannel channel;
  private long nextId;
  private volatile long count;

  private DeadLetterStore(Vertx vertx, String destinationId, Path file) {
    this.vertx = vertx;
    this.destinationId = destinationId;
    this.file = file;
  }

  /** Opens (creating if needed) the store of {@code destinationId} in {@code dir}. */
  public static Future<DeadLetterStore> open(Vertx vertx, Path dir, String destinationId) {
    if (destinationId == null || destinationId.isBlank() || !destinationId.matches("[A-Za-z0-9._-]+")
        || destinationId.startsWith(".")) {
      return Future.failedFuture(new IllegalArgumentException(
          "destination id '" + destinationId + "' is not usable as a file name ([A-Za-z0-9._-], not starting with '.')"));
    }
    DeadLetterStore store = new DeadLetterStore(vertx, destinationId, dir.resolve(destinationId + ".ndjson"));
    return vertx.executeBlocking(() -> {
      store.recover(dir);
      return store;
    }, false);
  }

  public String destinationId() {
    return destinationId;
  }

  /** The NDJSON file. */
  public Path file() {
    return file;
  }

  /** How many dead letters the store holds. */
  public long count() {
    return count;
  }

  /**
   * Appends entries (their ids are assigned here) and fsyncs; the future completes once they are
   * durable, with the stored entries.
   */
  public Future<List<DeadLetter>> append(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> appendBlocking(letters), false);
  }

  /** Entries matching {@code query}, oldest first, at most {@code query.limit()}. */
  public Future<List<DeadLetter>> list(DeadLetterQuery query) {
    return vertx.executeBlocking(() -> listBlocking(query), false);
  }

  /** Releases the file. */
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (channel != null) {
          channel.close();
          channel = null;
        }
      }
      return null;
    }, false);
  }

  private synchronized void recover(Path dir) throws IOException {
    Files.createDirectories(dir);
    long validEnd = 0;
    long entries = 0;
    long maxId = 0;
    if (Files.exists(file)) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long position = 0;
        int b;
        while ((b = in.read()) != -1) {
          position++;
          if (b != '\n') {
            line.write(b);
            continue;
          }
          validEnd = position;
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          if (text.isBlank()) continue;
          try {
            maxId = Math.max(maxId, new JsonObject(text).getLong("id", 0L));
            entries++;
          } catch (DecodeException | ClassCastException e) {
            LOG.warn("dead-letter file {} has an unreadable line; it is kept but skipped", file);
          }
        }
      }
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (channel.size() > validEnd) {
      // A line without its newline was cut by a crash before its fsync: it was never acknowledged.
      LOG.warn("dead-letter file {}: dropping an incomplete last line ({} bytes) left by a crash",
          file, channel.size() - validEnd);
      channel.truncate(validEnd);
      channel.force(true);
    }
    channel.position(validEnd);
    nextId = maxId + 1;
    count = entries;
  }

  private synchronized List<DeadLetter> appendBlocking(List<DeadLetter> letters) throws IOException {
    if (channel == null) {
      throw new IOException("dead-letter store of " + destinationId + " is closed");
    }
    List<DeadLetter> stored = new ArrayList<>(letters.size());
    Buffer out = Buffer.buffer();
    long id = nextId;
    for (DeadLetter letter : letters) {
      DeadLetter withId = letter.withId(id++);
      stored.add(withId);
      out.appendBuffer(withId.toJson().toBuffer()).appendByte((byte) '\n');
    }
    long start = channel.position();
    try {
      ByteBuffer bytes = ByteBuffer.wrap(out.getBytes());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      // Leave no half-written entries behind: the caller retries the whole append.
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException ignored) {
        // the next recover() drops a torn tail
      }
      throw e;
    }
    nextId = id;
    count += letters.size();
    return stored;
  }

  private synchronized List<DeadLetter> listBlocking(DeadLetterQuery query) throws IOException {
    List<DeadLetter> page = new ArrayList<>(Math.min(query.limit(), 64));
    if (!Files.exists(file)) {
      return page;
    }
    int toSkip = query.offset();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while (page.size() < query.limit() && (line = reader.readLine()) != null) {
        if (line.isBlank()) continue;
        DeadLetter letter;
        try {
          letter = DeadLetter.fromJson(new JsonObject(line));
        } catch (RuntimeException e) {
          continue; // reported at open
        }
        if (!query.matches(letter)) continue;
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        page.add(letter);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return page;
  }
}
