package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A read-only check of an embedded log directory for {@code herald validate}: every record of
 * every segment (length, checksum, structure, offset sequence), the offsets between segments,
 * and every cursor. It changes nothing; start-up recovery and the readers act on what it finds.
 */
public final class LogCheck {

  /**
   * What the check found.
   *
   * @param errors damage that costs events (unreadable records, missing offsets, bad cursors)
   * @param warnings what start-up repairs by itself (a torn newest tail, cursors of removed
   *     destinations)
   * @param summary one line: segments, offsets, cursors
   */
  public record Report(List<String> errors, List<String> warnings, String summary) {}

  private final Path dir;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  /** Offset ranges [from, to) no readable record holds. */
  private final List<long[]> unreadable = new ArrayList<>();

  private LogCheck(Path dir) {
    this.dir = dir;
  }

  /** Checks the log in {@code dir}; {@code destinationIds} are the configured destinations. */
  public static Report run(Path dir, Set<String> destinationIds) throws IOException {
    return new LogCheck(dir).check(destinationIds);
  }

  private Report check(Set<String> destinationIds) throws IOException {
    TreeMap<Long, Path> segments = segments(dir.resolve("segments"));
    long start = segments.isEmpty() ? 0 : segments.firstKey();
    long end = start;
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      Long next = segments.higherKey(segment.getKey());
      if (segment.getKey() > end) {
        unreadable.add(new long[] {end, segment.getKey()});
        errors.add("offsets " + end + " to " + (segment.getKey() - 1) + " are missing: no "
            + "segment holds them (the one before " + name(segment.getValue()) + " ends there)");
      }
      end = checkSegment(segment.getKey(), segment.getValue(), next);
    }
    Map<String, Long> cursors = cursors(dir.resolve("cursors"));
    for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
      checkCursor(cursor.getKey(), cursor.getValue(), start, end, destinationIds);
    }
    String summary = segments.size() + " segment(s), offsets " + start + " to " + (end - 1) + ", "
        + cursors.size() + " cursor(s)";
    return new Report(List.copyOf(errors), List.copyOf(warnings), summary);
  }

  /** Returns the offset after the segment's last readable record. */
  private long checkSegment(long base, Path file, Long nextBase) throws IOException {
    long expected = base;
    long bound = nextBase == null ? Long.MAX_VALUE : nextBase;
    try (RecordReader reader = new RecordReader(file, 0)) {
      while (true) {
        RecordReader.Status status = reader.next();
        if (status == RecordReader.Status.END) {
          break;
        }
        String problem = reader.problem();
        if (status == RecordReader.Status.RECORD) {
          if (reader.offset() == expected) {
            reader.advance();
            expected++;
            continue;
          }
          problem = "offset " + reader.offset() + " where " + expected + " was expected";
        }
        long damagedAt = reader.position();
        if (reader.resync(expected, bound)) {
          reader.next();
          if (nextBase == null) {
            errors.add(name(file) + " position " + damagedAt + ": " + problem + "; readable "
                + "records follow (from offset " + reader.offset() + "), but start-up recovery "
                + "truncates the newest segment here, dropping offsets " + expected + " and after");
            break;
          }
          errors.add(name(file) + " position " + damagedAt + ": " + problem + "; offsets "
              + expected + " to " + (reader.offset() - 1) + " cannot be read (the next readable "
              + "record is offset " + reader.offset() + " at position " + reader.position() + ")");
          unreadable.add(new long[] {expected, reader.offset()});
          expected = reader.offset();
          continue;
        }
        long size = Files.size(file);
        if (nextBase == null) {
          warnings.add(name(file) + " position " + damagedAt + ": " + problem + "; the newest "
              + "segment's last " + (size - damagedAt) + " bytes hold no readable record: "
              + "start-up recovery truncates them (a write cut short by a crash)");
        } else {
          errors.add(name(file) + " position " + damagedAt + ": " + problem + "; the rest of the "
              + "segment (" + (size - damagedAt) + " bytes, offsets " + expected + " to "
              + (nextBase - 1) + ") cannot be read");
          unreadable.add(new long[] {expected, nextBase});
          expected = nextBase;
        }
        break;
      }
    }
    if (nextBase != null && expected < nextBase) {
      unreadable.add(new long[] {expected, nextBase});
      errors.add(name(file) + " ends at offset " + (expected - 1) + ": offsets " + expected
          + " to " + (nextBase - 1) + " are missing before the next segment");
    } else if (nextBase != null && expected > nextBase) {
      errors.add(name(file) + " holds offsets up to " + (expected - 1) + ", past the next "
          + "segment's first offset " + nextBase);
    }
    return nextBase == null ? expected : Math.max(expected, nextBase);
  }

  private void checkCursor(String consumer, long offset, long start, long end,
      Set<String> destinationIds) {
    String where = "cursors/" + CursorStore.encode(consumer) + ".cursor";
    if (offset == Long.MIN_VALUE) {
      errors.add(where + ": does not hold an offset");
      return;
    }
    if (offset > end) {
      errors.add(where + ": offset " + offset + " is beyond the log end " + end
          + " (start-up moves it back to the end)");
    } else if (offset < start) {
      errors.add(where + ": offset " + offset + " points into deleted segments (the log starts "
          + "at " + start + "): " + consumer + " lost offsets " + offset + " to " + (start - 1));
    } else {
      for (long[] range : unreadable) {
        if (offset >= range[0] && offset < range[1]) {
          errors.add(where + ": offset " + offset + " points into offsets " + range[0] + " to "
              + (range[1] - 1) + ", which no readable record holds: " + consumer + " skips to "
              + range[1]);
        }
      }
    }
    if (!destinationIds.contains(consumer)) {
      warnings.add(where + ": no configured destination has the id '" + consumer
          + "'; start-up drops this cursor");
    }
  }

  private static TreeMap<Long, Path> segments(Path segmentsDir) throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    if (Files.isDirectory(segmentsDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(segmentsDir)) {
        for (Path file : files) {
          long base = Segment.parseBaseOffset(file.getFileName().toString());
          if (base >= 0) {
            segments.put(base, file);
          }
        }
      }
    }
    return segments;
  }

  /** Every cursor file's offset (Long.MIN_VALUE when unreadable), read without changing a file. */
  private static Map<String, Long> cursors(Path cursorsDir) throws IOException {
    Map<String, Long> cursors = new TreeMap<>();
    if (!Files.isDirectory(cursorsDir)) {
      return cursors;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(cursorsDir, "*.cursor")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String consumer = CursorStore.decode(name.substring(0, name.length() - ".cursor".length()));
        long offset;
        try {
          offset = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
          offset = Long.MIN_VALUE;
        }
        cursors.put(consumer, offset < 0 ? Long.MIN_VALUE : offset);
      }
    }
    return cursors;
  }

  private String name(Path file) {
    return dir.relativize(file).toString();
  }
}
