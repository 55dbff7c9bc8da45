package dev.herald.bus.log.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;

/**
 * The record decoder on hostile segment bytes: valid records built from the input, then damaged
 * by the input (flipped bytes, cuts, inserted garbage), then raw input bytes. Read as a
 * subscription reads (skipping damage to the next readable record), it must never throw, never
 * loop, never return a record whose checksum does not match its bytes or whose offset goes
 * backwards, and return every record when nothing was damaged. {@link LogCheck} must not throw
 * either. Regression inputs under {@code RecordDecoderFuzzTestInputs} run in every build;
 * {@code JAZZER_FUZZ=1} explores (see README, Development).
 */
class RecordDecoderFuzzTest {

  private static final Path DIR = createDir();
  private static final Path SEGMENT = DIR.resolve("segments").resolve(Segment.fileName(0));

  private static Path createDir() {
    try {
      Path dir = Files.createTempDirectory("herald-record-fuzz");
      Files.createDirectories(dir.resolve("segments"));
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void damagedSegmentBytesNeverYieldABadRecord(FuzzedDataProvider data) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int records = data.consumeInt(0, 6);
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    CRC32C crc = new CRC32C();
    boolean sequential = true;
    for (int i = 0; i < records; i++) {
      long offset = i;
      if (data.consumeInt(0, 9) == 0) {
        offset = data.consumeLong();
        sequential &= offset == i;
      }
      Event event = new Event(data.consumeString(40), data.consumeBoolean() ? null : "track",
          data.consumeString(20), data.consumeString(10), data.consumeString(20),
          Instant.ofEpochMilli(data.consumeLong(-1L << 40, 1L << 40)),
          Buffer.buffer(data.consumeBytes(500)));
      buffer.clear();
      RecordFormat.encode(buffer, offset, event, crc);
      file.write(buffer.array(), 0, buffer.position());
    }
    byte[] bytes = file.toByteArray();
    int damages = data.consumeInt(0, 3);
    for (int d = 0; d < damages && bytes.length > 0; d++) {
      int at = data.consumeInt(0, bytes.length - 1);
      switch (data.consumeInt(0, 2)) {
        case 0 -> bytes[at] ^= (byte) data.consumeInt(1, 255);
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
        default -> {
          byte[] garbage = data.consumeBytes(64);
          byte[] longer = new byte[bytes.length + garbage.length];
          System.arraycopy(bytes, 0, longer, 0, at);
          System.arraycopy(garbage, 0, longer, at, garbage.length);
          System.arraycopy(bytes, at, longer, at + garbage.length, bytes.length - at);
          bytes = longer;
        }
      }
    }
    byte[] tail = data.consumeRemainingAsBytes();
    byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
    System.arraycopy(tail, 0, all, bytes.length, tail.length);
    Files.write(SEGMENT, all);

    List<Long> read = readAsASubscriptionDoes(all);
    if (damages == 0 && tail.length == 0 && sequential) {
      assertEquals(LongStream.range(0, records).boxed().toList(), read, "undamaged records");
    }
    LogCheck.run(DIR, Set.of());
  }

  private static List<Long> readAsASubscriptionDoes(byte[] all) throws IOException {
    List<Long> offsets = new ArrayList<>();
    long expected = 0;
    int steps = 0;
    try (RecordReader reader = new RecordReader(SEGMENT, 0)) {
      while (true) {
        assertTrue(++steps <= all.length + 2, "the reader stopped making progress");
        long before = reader.position();
        RecordReader.Status status = reader.next();
        if (status == RecordReader.Status.END) {
          assertEquals(all.length, reader.position(), "END before the end of the bytes");
          return offsets;
        }
        if (status == RecordReader.Status.RECORD) {
          assertChecksumMatches(all, reader.position(), reader.bodyLength());
          RecordFormat.decode(reader.body(), reader.bodyStart(), reader.bodyLength());
          assertTrue(RecordFormat.payloadSize(reader.body(), reader.bodyStart(),
              reader.bodyLength()) >= 0);
          long offset = reader.offset();
          if (offset >= expected) {
            offsets.add(offset);
            expected = offset + 1;
          }
          reader.advance();
          assertTrue(reader.position() > before);
          continue;
        }
        if (!reader.resync(expected, Long.MAX_VALUE)) {
          return offsets;
        }
        assertTrue(reader.position() > before, "resync did not move forward");
      }
    }
  }

  private static void assertChecksumMatches(byte[] file, long position, int bodyLength) {
    int at = (int) position;
    CRC32C crc = new CRC32C();
    crc.update(file, at + RecordFormat.HEADER_BYTES, bodyLength);
    assertEquals(ByteBuffer.wrap(file, at + 4, 4).getInt(), (int) crc.getValue(),
        "a record whose checksum does not match its bytes");
  }
}
