package dev.herald.bus.deadletter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's dead letters: an NDJSON file {@code <dir>/<destination id>.ndjson}. Entries and
 * replay marks ({@code {"mark":{…}}} lines) are appended and fsynced, so a dead letter the runner
 * counts as settled, or a replay outcome, survives a crash. Deleting and retention rewrite the file
 * (a temp file, forced, renamed over it), folding each entry's latest mark into it. All file work
 * runs on worker threads, serialized by this object's lock.
 */
public final class FileDeadLetterStore implements DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetterStore.class);
  private static final long AGE_CHECK_MS = 60_000;

  private final Vertx vertx;
  private final String destinationId;
  private final Path file;
  private final DeadLetterRetention retention;
  /** Marks appended since the last rewrite, by entry id (a rewrite folds them into their entries). */
  private final Map<Long, ReplayMark> marks = new HashMap<>();
  private FileChannel channel;
  private long nextId;
  private Instant oldest;
  private volatile long count;
  private volatile long dropped;
  private long ageTimer = -1;

  private FileDeadLetterStore(Vertx vertx, String destinationId, Path file, DeadLetterRetention retention) {
    this.vertx = vertx;
    this.destinationId = destinationId;
    this.file = file;
    this.retention = retention;
  }

  /** Opens (creating if needed) the store of {@code destinationId} in {@code dir}, without retention bounds. */
  public static Future<FileDeadLetterStore> open(Vertx vertx, Path dir, String destinationId) {
    return open(vertx, dir, destinationId, DeadLetterRetention.UNBOUNDED);
  }

  /** Opens (creating if needed) the store of {@code destinationId} in {@code dir}. */
  public static Future<FileDeadLetterStore> open(Vertx vertx, Path dir, String destinationId,
      DeadLetterRetention retention) {
    if (destinationId == null || destinationId.isBlank() || !destinationId.matches("[A-Za-z0-9._-]+")
        || destinationId.startsWith(".")) {
      return Future.failedFuture(new IllegalArgumentException(
          "destination id '" + destinationId + "' is not usable as a file name ([A-Za-z0-9._-], not starting with '.')"));
    }
    FileDeadLetterStore store = new FileDeadLetterStore(vertx, destinationId, dir.resolve(destinationId + ".ndjson"),
        retention);
    return vertx.executeBlocking(() -> {
      store.recover(dir);
      store.enforceRetentionLogged();
      return store;
    }, false).onSuccess(s -> {
      if (retention.maxAge() != null) {
        s.ageTimer = vertx.setPeriodic(AGE_CHECK_MS, t -> vertx.executeBlocking(() -> {
          s.enforceRetentionLogged();
          return null;
        }, false));
      }
    });
  }

  @Override
  public String destinationId() {
    return destinationId;
  }

  /** The NDJSON file. */
  public Path file() {
    return file;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long dropped() {
    return dropped;
  }

  @Override
  public Future<List<DeadLetter>> append(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> {
      List<DeadLetter> stored = appendBlocking(letters);
      enforceRetentionLogged(); // the entries are durable: a failed trim must not fail their append
      return stored;
    }, false);
  }

  @Override
  public Future<List<DeadLetter>> list(DeadLetterQuery query) {
    return vertx.executeBlocking(() -> listBlocking(query), false);
  }

  @Override
  public Future<Void> markReplayed(List<ReplayMark> newMarks) {
    if (newMarks.isEmpty()) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      markBlocking(newMarks);
      return null;
    }, false);
  }

  @Override
  public Future<Long> delete(DeadLetterQuery filter) {
    return vertx.executeBlocking(() -> rewrite(filter::matches), false);
  }

  @Override
  public Future<Void> close() {
    if (ageTimer != -1) vertx.cancelTimer(ageTimer);
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
            JsonObject json = new JsonObject(text);
            JsonObject mark = json.getJsonObject("mark");
            if (mark != null) {
              ReplayMark m = ReplayMark.fromJson(mark);
              marks.put(m.id(), m);
              continue;
            }
            maxId = Math.max(maxId, json.getLong("id", 0L));
            if (oldest == null) oldest = Instant.parse(json.getString("deadLetteredAt"));
            entries++;
          } catch (DecodeException | ClassCastException | NullPointerException | java.time.DateTimeException e) {
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
    List<DeadLetter> stored = new ArrayList<>(letters.size());
    Buffer out = Buffer.buffer();
    long id = nextId;
    for (DeadLetter letter : letters) {
      DeadLetter withId = letter.withId(id++);
      stored.add(withId);
      out.appendBuffer(withId.toJson().toBuffer()).appendByte((byte) '\n');
    }
    write(out);
    nextId = id;
    if (count == 0) oldest = letters.get(0).deadLetteredAt();
    count += letters.size();
    return stored;
  }

  private synchronized void markBlocking(List<ReplayMark> newMarks) throws IOException {
    Buffer out = Buffer.buffer();
    for (ReplayMark mark : newMarks) {
      out.appendBuffer(new JsonObject().put("mark", mark.toJson()).toBuffer()).appendByte((byte) '\n');
    }
    write(out);
    newMarks.forEach(m -> marks.put(m.id(), m));
  }

  /** Appends {@code out} and fsyncs; on failure leaves no half-written line behind. */
  private void write(Buffer out) throws IOException {
    if (channel == null) {
      throw new IOException("dead-letter store of " + destinationId + " is closed");
    }
    long start = channel.position();
    try {
      ByteBuffer bytes = ByteBuffer.wrap(out.getBytes());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException ignored) {
        // the next recover() drops a torn tail
      }
      throw e;
    }
  }

  private synchronized List<DeadLetter> listBlocking(DeadLetterQuery query) throws IOException {
    return query.page(this::scan);
  }

  /** Hands each entry (with its latest mark) to {@code visit}, oldest first, until it answers false. */
  private void scan(Predicate<DeadLetter> visit) throws IOException {
    if (!Files.exists(file)) return;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        DeadLetter letter = decode(line);
        if (letter != null && !visit.test(letter)) return;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** An entry line with its latest mark, or null for a mark line, a blank or unreadable one. */
  private DeadLetter decode(String line) {
    if (line.isBlank()) return null;
    try {
      JsonObject json = new JsonObject(line);
      if (json.containsKey("mark")) return null;
      DeadLetter letter = DeadLetter.fromJson(json);
      ReplayMark mark = marks.get(letter.id());
      return mark == null ? letter : letter.withReplay(mark);
    } catch (RuntimeException e) {
      return null; // reported at open
    }
  }

  private void enforceRetentionLogged() {
    try {
      enforceRetention();
    } catch (IOException | RuntimeException e) {
      LOG.warn("dead letters of {}: retention pass failed (tried again later): {}", destinationId, e.toString());
    }
  }

  /** Drops the oldest entries past {@code maxAge} or {@code maxBytes} (down to 90% of it, so a rewrite is rare). */
  private synchronized void enforceRetention() throws IOException {
    if (channel == null || count == 0) return;
    Instant cutoff = retention.maxAge() == null ? null : Instant.now().minus(retention.maxAge());
    boolean tooOld = cutoff != null && oldest != null && oldest.isBefore(cutoff);
    boolean tooBig = retention.maxBytes() > 0 && channel.size() > retention.maxBytes();
    if (!tooOld && !tooBig) return;
    long keepBytes = tooBig ? retention.maxBytes() * 9 / 10 : Long.MAX_VALUE;
    // The newest entries that fit in keepBytes stay: find the first id kept.
    List<long[]> sizes = new ArrayList<>();
    if (tooBig) {
      scan(letter -> {
        sizes.add(new long[] {letter.id(), letter.toJson().toBuffer().length() + 1L});
        return true;
      });
    }
    long total = 0;
    long firstKept = Long.MIN_VALUE;
    for (int i = sizes.size() - 1; i >= 0; i--) {
      total += sizes.get(i)[1];
      if (total > keepBytes) {
        firstKept = sizes.get(i)[0] + 1;
        break;
      }
    }
    long minKept = firstKept;
    long gone = rewrite(letter -> letter.id() < minKept || (cutoff != null && letter.deadLetteredAt().isBefore(cutoff)));
    if (gone > 0) {
      dropped += gone;
      LOG.warn("dead letters of {}: retention dropped the {} oldest entries (deadLetters.maxBytes={}, maxAge={}); {} dropped since start",
          destinationId, gone, retention.maxBytes(), retention.maxAge(), dropped);
    }
  }

  /** Rewrites the file without the entries {@code drop} selects, marks folded in; answers how many went. */
  private synchronized long rewrite(Predicate<DeadLetter> drop) throws IOException {
    if (channel == null) throw new IOException("dead-letter store of " + destinationId + " is closed");
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    long[] kept = {0};
    long[] gone = {0};
    Instant[] first = {null};
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      IOException[] failure = {null};
      scan(letter -> {
        if (drop.test(letter)) {
          gone[0]++;
          return true;
        }
        try {
          ByteBuffer bytes = ByteBuffer.wrap(letter.toJson().toBuffer().appendByte((byte) '\n').getBytes());
          while (bytes.hasRemaining()) out.write(bytes);
        } catch (IOException e) {
          failure[0] = e;
          return false;
        }
        kept[0]++;
        if (first[0] == null) first[0] = letter.deadLetteredAt();
        return true;
      });
      if (failure[0] != null) throw failure[0];
      if (gone[0] == 0) {
        Files.deleteIfExists(temp);
        return 0;
      }
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    channel.close();
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } finally {
      // The new file, or the old one when the rename failed: either way the store goes on appending.
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      channel.position(channel.size());
    }
    marks.clear();
    count = kept[0];
    oldest = first[0];
    return gone[0];
  }
}
