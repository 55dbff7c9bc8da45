package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The validator skips ASCII eight bytes at a time; it must name the same first invalid byte as
 * the byte-by-byte reading it replaced, wherever in a word the first non-ASCII byte falls.
 */
class Utf8ValidationTest {

  @Test
  void theFirstInvalidByteIsFoundWhereverItFallsInMostlyAsciiBodies() {
    Random random = new Random(29);
    int[][] sequences = {{0xC3, 0xA9}, {0xE2, 0x98, 0x95}, {0xF0, 0x9F, 0x98, 0x80}, {0xC0, 0xAF}, {0xED, 0xA0, 0x80},
        {0xF4, 0x90, 0x80, 0x80}, {0x80}, {0xFF}, {0xE2, 0x98}, {0xF0, 0x9F, 0x98}, {0xC3}};
    for (int i = 0; i < 200_000; i++) {
      byte[] bytes = new byte[random.nextInt(48)];
      int at = 0;
      while (at < bytes.length) {
        if (random.nextInt(10) == 0) {
          int[] sequence = sequences[random.nextInt(sequences.length)];
          for (int k = 0; k < sequence.length && at < bytes.length; k++) {
            bytes[at++] = (byte) sequence[k];
          }
        } else {
          bytes[at++] = (byte) (0x20 + random.nextInt(0x5F));
        }
      }
      int length = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      assertEquals(byteByByte(bytes, length), Utf8.firstInvalidByte(bytes, length),
          () -> java.util.HexFormat.of().formatHex(bytes) + " length " + length);
    }
  }

  /** The validator as it read every byte. */
  private static int byteByByte(byte[] data, int length) {
    int i = 0;
    while (i < length) {
      int b = data[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xFF;
      int needed;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        needed = 1;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        needed = 2;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        needed = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + needed >= length) {
        return i;
      }
      int codePoint = lead & (0x3F >> needed);
      for (int k = 1; k <= needed; k++) {
        int next = data[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return i;
        }
        codePoint = (codePoint << 6) | (next & 0x3F);
      }
      if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return i;
      }
      i += needed + 1;
    }
    return -1;
  }
}
