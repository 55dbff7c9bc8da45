package dev.herald.bench;

import java.util.Arrays;

/** A growable array of latency samples (microseconds) and its percentiles. Single-threaded use. */
final class Percentiles {
  private long[] samples = new long[1 << 16];
  private int size;

  void add(long micros) {
    if (size == samples.length) samples = Arrays.copyOf(samples, size * 2);
    samples[size++] = micros;
  }

  int count() {
    return size;
  }

  /** The q-quantile (0..1) in milliseconds, or NaN without samples. */
  double quantileMillis(double q) {
    if (size == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int index = (int) Math.min(size - 1, Math.ceil(q * size) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
