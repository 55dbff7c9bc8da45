package dev.herald.bus.log.embedded;

import dev.herald.destination.api.Event;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The newest events of an embedded log, read from its segment files without opening the log:
 * no recovery, no writes, no cursor, so it is safe beside a running Herald (a record still being
 * written is not seen; a segment deleted by retention meanwhile is skipped). For previews.
 */
public final class LogTail {

  private LogTail() {}

  /**
   * Up to {@code n} of the newest events {@code wanted} accepts, oldest first. Blocking; reads
   * segments from the newest back until it has {@code n}, holding at most {@code n} events.
   *
   * @param logDir the log's {@code dir} (the one holding {@code segments/})
   */
  public static List<Event> last(Path logDir, int n, Predicate<Event> wanted) throws IOException {
    if (n < 1) throw new IllegalArgumentException("n must be at least 1");
    Path segmentsDir = logDir.resolve("segments");
    if (!Files.isDirectory(segmentsDir)) throw new NoSuchFileException(segmentsDir + " (no embedded log here)");
    TreeMap<Long, Path> segments = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(segmentsDir, "*" + Segment.SUFFIX)) {
      for (Path file : files) {
        long base = Segment.parseBaseOffset(file.getFileName().toString());
        if (base >= 0) segments.put(base, file);
      }
    }
    Deque<List<Event>> newestFirst = new ArrayDeque<>();
    int found = 0;
    for (Path segment : segments.descendingMap().values()) {
      List<Event> events = lastOf(segment, n - found, wanted);
      newestFirst.push(events);
      found += events.size();
      if (found >= n) break;
    }
    List<Event> out = new ArrayList<>(found);
    newestFirst.forEach(out::addAll);
    return out;
  }

  /** The last {@code n} wanted events of one segment, in order. */
  private static List<Event> lastOf(Path segment, int n, Predicate<Event> wanted) throws IOException {
    ArrayDeque<Event> kept = new ArrayDeque<>(Math.min(n, 1024));
    try (RecordReader reader = new RecordReader(segment, 0)) {
      while (reader.next() == RecordReader.Status.RECORD) {
        Event event = RecordFormat.decode(reader.body(), reader.bodyStart(), reader.bodyLength());
        reader.advance();
        if (!wanted.test(event)) continue;
        if (kept.size() == n) kept.removeFirst();
        kept.addLast(event);
      }
    } catch (NoSuchFileException deletedByRetention) {
      return List.of();
    }
    return new ArrayList<>(kept);
  }
}
