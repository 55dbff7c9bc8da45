package dev.herald.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
 * so that only UTF-8 reaches the parser and the log: Jackson alone would guess UTF-16 or UTF-32
 * from a body's first bytes and tolerates some malformed sequences.
 */
final class Utf8 {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGHS = 0x8080808080808080L;

  private Utf8() {}

  /** The offset of the first byte that is not valid UTF-8, or -1 when all of it is. */
  static int firstInvalidByte(byte[] data, int length) {
    int i = 0;
    while (i < length) {
      // Bodies are mostly ASCII: eight bytes at a time while none has its high bit set.
      while (i + 8 <= length && ((long) LONGS.get(data, i) & HIGHS) == 0) {
        i += 8;
      }
      if (i >= length) {
        break;
      }
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
