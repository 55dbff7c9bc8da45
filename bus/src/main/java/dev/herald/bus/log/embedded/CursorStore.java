package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed offset of every consumer, one small file each ({@code <consumer>.cursor}, the
 * decimal next offset), replaced atomically: write a temp file, force it, rename it over the old
 * one, force the directory. Blocking: call it off the event loop.
 */
final class CursorStore {

  private static final String SUFFIX = ".cursor";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final ConcurrentHashMap<String, Long> committed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  private CursorStore(Path dir) {
    this.dir = dir;
  }

  /** Reads every cursor file in {@code dir}; leftovers of an interrupted write are removed. */
  static CursorStore load(Path dir) throws IOException {
    Files.createDirectories(dir);
    CursorStore store = new CursorStore(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file);
        } else if (name.endsWith(SUFFIX)) {
          String consumer = decode(name.substring(0, name.length() - SUFFIX.length()));
          store.committed.put(consumer, readOffset(file));
        }
      }
    }
    return store;
  }

  private static long readOffset(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    try {
      long offset = Long.parseLong(text);
      if (offset < 0) {
        throw new NumberFormatException("negative");
      }
      return offset;
    } catch (NumberFormatException e) {
      throw new IOException("cursor file " + file + " does not hold an offset (\"" + text
          + "\"); delete it to restart that consumer from the log start", e);
    }
  }

  /** The committed next offset of a consumer, or null if it has none. */
  Long get(String consumer) {
    return committed.get(consumer);
  }

  /** A copy of every consumer's committed next offset, by consumer id. */
  Map<String, Long> snapshot() {
    return new TreeMap<>(committed);
  }

  /** Creates the consumer's cursor at {@code offset} unless it already has one; returns its value. */
  long createIfAbsent(String consumer, long offset) throws IOException {
    synchronized (lockOf(consumer)) {
      Long current = committed.get(consumer);
      if (current != null) {
        return current;
      }
      write(consumer, offset);
      return offset;
    }
  }

  /** Moves the cursor forward to {@code offset}; a lower value is ignored. */
  void advance(String consumer, long offset) throws IOException {
    synchronized (lockOf(consumer)) {
      Long current = committed.get(consumer);
      if (current == null || offset > current) {
        write(consumer, offset);
      }
    }
  }

  /**
   * Raises the cursor to at least {@code floor}.
   *
   * @return by how much it was raised (0 when it already was there)
   */
  long raiseTo(String consumer, long floor) throws IOException {
    synchronized (lockOf(consumer)) {
      Long current = committed.get(consumer);
      if (current == null || current >= floor) {
        return 0;
      }
      write(consumer, floor);
      return floor - current;
    }
  }

  /** Sets the cursor to {@code offset}, also backwards (clamping to a recovered end). */
  void set(String consumer, long offset) throws IOException {
    synchronized (lockOf(consumer)) {
      write(consumer, offset);
    }
  }

  /** Forgets a consumer: its cursor file no longer holds back retention. */
  void remove(String consumer) throws IOException {
    synchronized (lockOf(consumer)) {
      Files.deleteIfExists(dir.resolve(encode(consumer) + SUFFIX));
      forceDirectory(dir);
      committed.remove(consumer);
    }
  }

  /**
   * Removes every consumer not in {@code keep}.
   *
   * @return the removed consumers with their committed offsets
   */
  Map<String, Long> retainOnly(Set<String> keep) throws IOException {
    Map<String, Long> dropped = new TreeMap<>();
    for (Map.Entry<String, Long> cursor : snapshot().entrySet()) {
      if (!keep.contains(cursor.getKey())) {
        remove(cursor.getKey());
        dropped.put(cursor.getKey(), cursor.getValue());
      }
    }
    return dropped;
  }

  private Object lockOf(String consumer) {
    return locks.computeIfAbsent(consumer, c -> new Object());
  }

  private void write(String consumer, long offset) throws IOException {
    String name = encode(consumer) + SUFFIX;
    Path temp = dir.resolve(name + TEMP_SUFFIX);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap((offset + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
    committed.put(consumer, offset);
  }

  /** Makes a rename or a new file in {@code dir} durable. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** File-name-safe form of a consumer id: [A-Za-z0-9_-] kept, any other UTF-8 byte as %XX. */
  static String encode(String consumer) {
    StringBuilder out = new StringBuilder(consumer.length());
    for (byte b : consumer.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || c == '-') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String decode(String fileStem) {
    byte[] bytes = new byte[fileStem.length()];
    int n = 0;
    for (int i = 0; i < fileStem.length(); i++) {
      char c = fileStem.charAt(i);
      if (c == '%' && i + 2 < fileStem.length()) {
        bytes[n++] = (byte) Integer.parseInt(fileStem.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
