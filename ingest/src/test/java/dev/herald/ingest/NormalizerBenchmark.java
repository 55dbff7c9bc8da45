package dev.herald.ingest;

import dev.herald.ingest.IngestPipelines.Result;
import dev.herald.ingest.IngestPipelines.Route;
import dev.herald.ingest.IngestPipelines.Scope;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The normalizer alone, in one thread: a 100-event batch (the bench's ~600-byte track events)
 * from body bytes to stored events, through the tree-based reference and through the streaming
 * normalizer, alternating rounds in the same run; prints events/s, their ratio and the bytes
 * allocated per batch. Not a test: run it with
 * {@code java -cp <ingest test classpath> dev.herald.ingest.NormalizerBenchmark [seconds]}.
 */
public final class NormalizerBenchmark {

  private static final String PROPERTIES = "{\"plan\":\"pro\",\"amount\":42.5,\"currency\":\"EUR\","
      + "\"items\":[{\"sku\":\"A-100\",\"qty\":1},{\"sku\":\"B-200\",\"qty\":2}],"
      + "\"referrer\":\"https://example.com/landing/spring-campaign?utm_source=newsletter\"}";
  private static final String CONTEXT = "{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.4\"},"
      + "\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)\","
      + "\"locale\":\"en-GB\",\"timezone\":\"Europe/Berlin\"}";
  private static final int EVENTS = 100;

  private NormalizerBenchmark() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    byte[] body = batch().getBytes(StandardCharsets.UTF_8);
    IngestOptions options = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")));
    Scope scope = new Scope(IpPolicy.KEEP, "192.0.2.7", Instant.parse("2026-11-23T10:00:05Z"));
    IngestPipelines checked = new IngestPipelines(options);
    Result expected = checked.reference(Route.BATCH, body, scope);
    if (expected.requestError() != null || !expected.equals(checked.streaming(Route.BATCH, body, scope))) {
      throw new IllegalStateException("the two normalizers disagree on the benchmark batch");
    }
    IngestPipelines pipelines = new IngestPipelines(options, false);
    long[] oldTotals = new long[3];
    long[] newTotals = new long[3];
    long roundNanos = (long) (seconds * 1e9 / 10);
    for (int round = 0; round < 12; round++) {
      // Two warm-up rounds; then alternate, so both see the same machine.
      boolean measured = round >= 2;
      run(() -> pipelines.reference(Route.BATCH, body, scope), roundNanos, measured ? oldTotals : new long[3]);
      run(() -> pipelines.streaming(Route.BATCH, body, scope), roundNanos, measured ? newTotals : new long[3]);
    }
    double oldRate = EVENTS * oldTotals[0] / (oldTotals[1] / 1e9);
    double newRate = EVENTS * newTotals[0] / (newTotals[1] / 1e9);
    System.out.printf("batch of %d events, %d bytes; one thread%n", EVENTS, body.length);
    System.out.printf("tree-based: %,.0f events/s, %,d bytes allocated per batch%n", oldRate,
        oldTotals[2] / oldTotals[0]);
    System.out.printf("streaming:  %,.0f events/s, %,d bytes allocated per batch%n", newRate,
        newTotals[2] / newTotals[0]);
    System.out.printf("ratio streaming/tree-based: %.2f×%n", newRate / oldRate);
  }

  /** Adds batches done, nanoseconds and bytes allocated to {@code totals}. */
  private static void run(Runnable batch, long nanos, long[] totals) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    long end = start + nanos;
    long count = 0;
    long now;
    do {
      batch.run();
      count++;
      now = System.nanoTime();
    } while (now < end);
    totals[0] += count;
    totals[1] += now - start;
    totals[2] += threads.getThreadAllocatedBytes(thread) - allocatedBefore;
  }

  private static String batch() {
    StringBuilder sb = new StringBuilder(EVENTS * 640 + 64);
    sb.append("{\"batch\":[");
    for (int i = 0; i < EVENTS; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-").append(i)
          .append("\",\"messageId\":\"bench-").append(i)
          .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":").append(PROPERTIES)
          .append(",\"context\":").append(CONTEXT).append('}');
    }
    return sb.append("],\"sentAt\":\"2026-11-23T10:00:01.000Z\"}").toString();
  }
}
