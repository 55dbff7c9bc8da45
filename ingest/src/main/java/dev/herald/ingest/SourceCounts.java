package dev.herald.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events accepted (durably appended) and rejected (refused one by one, e.g. invalid) per source
 * since start, for the status page. Requests refused as a whole before their source is known
 * (a bad write key, a body over the limits) are not counted here.
 */
public final class SourceCounts {

  /** Accepted and rejected events of one source. */
  public record Counts(long accepted, long rejected) {}

  private final Map<String, LongAdder[]> bySource = new ConcurrentHashMap<>();

  void accepted(String source, int events) {
    if (events > 0) of(source)[0].add(events);
  }

  void rejected(String source, int events) {
    if (events > 0) of(source)[1].add(events);
  }

  private LongAdder[] of(String source) {
    return bySource.computeIfAbsent(source, s -> new LongAdder[] {new LongAdder(), new LongAdder()});
  }

  /** A snapshot, by source id. */
  public Map<String, Counts> snapshot() {
    Map<String, Counts> out = new TreeMap<>();
    bySource.forEach((source, c) -> out.put(source, new Counts(c[0].sum(), c[1].sum())));
    return out;
  }
}
