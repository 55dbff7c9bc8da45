package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the segment files into a state the writer can append to: every record of the newest
 * segment is checked (length, CRC32C, structure, offset sequence) and the file is truncated at
 * the first bad one. Older segments were forced before their successor existed, so a crash can
 * only tear the newest; an empty newest file is trusted only if its predecessor ends at its base.
 */
final class LogRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  /** The segments by base offset (the last one is where appends go) and the end offset. */
  record Recovered(ConcurrentSkipListMap<Long, Segment> segments, long endOffset) {}

  private LogRecovery() {}

  static Recovered recover(Path segmentsDir) throws IOException {
    Files.createDirectories(segmentsDir);
    ConcurrentSkipListMap<Long, Segment> segments = listSegments(segmentsDir);
    if (segments.isEmpty()) {
      Path first = segmentsDir.resolve(Segment.fileName(0));
      Files.createFile(first);
      CursorStore.forceDirectory(segmentsDir);
      segments.put(0L, new Segment(0, first, 0));
      return new Recovered(segments, 0);
    }
    Segment newest = segments.lastEntry().getValue();
    long end = validate(newest);
    Map.Entry<Long, Segment> previous = segments.lowerEntry(newest.baseOffset);
    if (end == newest.baseOffset && previous != null) {
      long previousEnd = validate(previous.getValue());
      if (previousEnd != newest.baseOffset) {
        LOG.warn("Removing empty segment {}: the segment before it ends at offset {}", newest,
            previousEnd);
        Files.delete(newest.path);
        CursorStore.forceDirectory(segmentsDir);
        segments.remove(newest.baseOffset);
        end = previousEnd;
      }
    }
    return new Recovered(segments, end);
  }

  private static ConcurrentSkipListMap<Long, Segment> listSegments(Path dir) throws IOException {
    ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        long base = Segment.parseBaseOffset(file.getFileName().toString());
        if (base >= 0) {
          segments.put(base, new Segment(base, file, Files.size(file)));
        }
      }
    }
    return segments;
  }

  /**
   * Checks a segment record by record and truncates it after the last good one.
   *
   * @return the offset after its last good record
   */
  static long validate(Segment segment) throws IOException {
    long expected = segment.baseOffset;
    String problem = null;
    long validEnd;
    try (RecordReader reader = new RecordReader(segment.path, 0)) {
      while (true) {
        RecordReader.Status status = reader.next();
        if (status == RecordReader.Status.END) {
          break;
        }
        if (status != RecordReader.Status.RECORD) {
          problem = reader.problem();
          break;
        }
        if (reader.offset() != expected) {
          problem = "offset " + reader.offset() + " where " + expected + " was expected";
          break;
        }
        reader.advance();
        expected++;
      }
      validEnd = reader.position();
    }
    long size = Files.size(segment.path);
    if (validEnd < size) {
      try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
        channel.truncate(validEnd);
        channel.force(true);
      }
      LOG.warn("Recovery dropped {} bytes from {} at position {} ({}); the segment now ends at "
          + "offset {}", size - validEnd, segment.path, validEnd, problem, expected);
    }
    segment.sizeBytes = validEnd;
    return expected;
  }
}
