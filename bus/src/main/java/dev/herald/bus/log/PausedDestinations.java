package dev.herald.bus.log;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which destinations an operator paused, so a pause outlives a restart: an empty marker file
 * {@code <destination id>.paused} each, beside the destinations' cursors (the embedded log's
 * {@code cursors} directory; with Kafka, a local state directory). A marker is created or removed
 * and then the directory is forced, so an answered pause is durable. Setting is blocking: call it
 * off the event loop; reading is not.
 */
public final class PausedDestinations {

  private static final String SUFFIX = ".paused";

  private final Path dir;
  private final Set<String> paused = ConcurrentHashMap.newKeySet();

  private PausedDestinations(Path dir) {
    this.dir = dir;
  }

  /** Kept in memory only: a pause ends with the process. */
  public static PausedDestinations inMemory() {
    return new PausedDestinations(null);
  }

  /** Reads the markers in {@code dir} (creating it). Blocking. */
  public static PausedDestinations load(Path dir) throws IOException {
    Files.createDirectories(dir);
    PausedDestinations markers = new PausedDestinations(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        markers.paused.add(URLDecoder.decode(name.substring(0, name.length() - SUFFIX.length()), StandardCharsets.UTF_8));
      }
    }
    return markers;
  }

  /** Whether the files survive the process. */
  public boolean durable() {
    return dir != null;
  }

  public boolean isPaused(String destinationId) {
    return paused.contains(destinationId);
  }

  /** Records a pause or its end durably. Blocking. */
  public synchronized void set(String destinationId, boolean pause) throws IOException {
    if (dir != null && pause != paused.contains(destinationId)) {
      Path marker = dir.resolve(URLEncoder.encode(destinationId, StandardCharsets.UTF_8) + SUFFIX);
      if (pause) {
        Files.newByteChannel(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
      } else {
        Files.deleteIfExists(marker);
      }
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true); // the marker's creation or removal is durable
      }
    }
    if (pause) {
      paused.add(destinationId);
    } else {
      paused.remove(destinationId);
    }
  }
}
