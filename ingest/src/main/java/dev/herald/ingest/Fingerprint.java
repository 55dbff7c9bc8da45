package dev.herald.ingest;

/**
 * The 64-bit fingerprint deduplication remembers instead of the messageId itself (a MurmurHash3
 * style mix of source, topic and messageId). Two different ids share a fingerprint with
 * probability 2^-64 per pair: with n ids remembered, a new event is mistaken for a duplicate with
 * probability about n / 2^64 (below 10^-12 for two million remembered ids).
 */
final class Fingerprint {

  private static final long C1 = 0x87C37B91114253D5L;
  private static final long C2 = 0x4CF5AD432745937FL;

  private Fingerprint() {}

  static long of(String sourceId, String topic, String messageId) {
    long h = 0x2545F4914F6CDD1DL;
    h = mixBlock(h, ((long) sourceId.length() << 32) | topic.length());
    h = mixString(h, sourceId);
    h = mixString(h, topic);
    h = mixString(h, messageId);
    h ^= messageId.length();
    h = fmix(h);
    // 0 marks an empty slot in LongHashSet.
    return h == 0 ? 1 : h;
  }

  private static long mixString(long h, String text) {
    int length = text.length();
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      long block = text.charAt(i) | (long) text.charAt(i + 1) << 16 | (long) text.charAt(i + 2) << 32
          | (long) text.charAt(i + 3) << 48;
      h = mixBlock(h, block);
    }
    long tail = 0;
    for (int shift = 0; i < length; i++, shift += 16) {
      tail |= (long) text.charAt(i) << shift;
    }
    // The tail block is mixed even when empty, so "ab"+"c" and "a"+"bc" differ.
    return mixBlock(h, tail ^ ((long) (length & 3) << 62));
  }

  private static long mixBlock(long h, long block) {
    long k = block * C1;
    k = Long.rotateLeft(k, 31);
    k *= C2;
    h ^= k;
    h = Long.rotateLeft(h, 27);
    return h * 5 + 0x52DCE729;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }
}
