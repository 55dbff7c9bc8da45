package dev.herald.bench;

import dev.herald.bus.log.kafka.KafkaEventLog;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import dev.herald.destination.api.Event;
import dev.herald.kafka.testkit.KafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What Herald's Kafka log adds per record, without HTTP or ingest: the same N stored events
 * appended through {@link KafkaEventLog#append} (lists of {@value #PER_APPEND}, a window of
 * appends in flight as ingest requests would be) and sent by a plain {@link KafkaProducer} with
 * the log's own producer settings, in the same JVM against the same broker: as bare values (what
 * ProducerPerformance sends), with Herald's key, and with Herald's key and headers prebuilt (what
 * Kafka itself costs for Herald's record layout), the same {@value #PER_APPEND}-record chunks with
 * {@value #WINDOW} unacknowledged at most. Per mode: records/s, CPU ns per record of this JVM
 * (the broker is another process), heap bytes allocated per record, and the producer's own
 * average record size and bytes sent per record.
 * Usage: {@code bench/kafka-append.sh [records=200000]} (tuning as {@link #tuned}, and
 * {@code -Dherald.bench.kafka.compression}); {@link KafkaBenchmark} runs it too.
 */
public final class KafkaAppendBenchmark {

  static final int PER_APPEND = 100;
  private static final int WINDOW = 32;
  private static final int ROUNDS = 3;

  /** One mode's figures. */
  record Figures(String mode, long records, double recordsPerSecond, double cpuNsPerRecord,
      double allocatedBytesPerRecord, double recordSizeAvg, double sentBytesPerRecord) {

    io.vertx.core.json.JsonObject json() {
      return new io.vertx.core.json.JsonObject().put("mode", mode).put("records", records)
          .put("recordsPerSecond", recordsPerSecond).put("cpuNsPerRecord", cpuNsPerRecord)
          .put("allocatedBytesPerRecord", allocatedBytesPerRecord).put("recordSizeAvg", recordSizeAvg)
          .put("sentBytesPerRecord", sentBytesPerRecord);
    }
  }

  /** What the plain producer sends beside each value. */
  enum Layout {
    BARE("KafkaProducer, bare values (as ProducerPerformance)"),
    KEYED("KafkaProducer, Herald's key"),
    HERALD("KafkaProducer, Herald's key + headers");

    final String label;

    Layout(String label) {
      this.label = label;
    }
  }

  private KafkaAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    try (KafkaBroker broker = KafkaBroker.startNew(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"))) {
      KafkaLogOptions options = tuned(broker.bootstrapServers(), System.getProperty("herald.bench.kafka.compression", "lz4"));
      List<Figures> figures = run(options, records);
      print(options, figures);
      io.vertx.core.json.JsonArray modes = new io.vertx.core.json.JsonArray();
      figures.forEach(f -> modes.add(f.json()));
      java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("herald.root", ".")).toAbsolutePath();
      System.out.println("  results appended to " + ResultsLog.append(root, "kafka-append",
          ResultsLog.header(root).put("compression", options.compression()).put("lingerMs", options.lingerMs())
              .put("batchBytes", options.batchBytes()).put("maxInFlight", options.maxInFlight()).put("modes", modes)));
    }
  }

  /**
   * The log's settings for the benchmarks: Herald's defaults on a 12-partition topic, varied by
   * {@code -Dherald.bench.kafka.lingerMs}, {@code .batchBytes} and {@code .maxInFlight}.
   */
  static KafkaLogOptions tuned(String bootstrapServers, String compression) {
    KafkaLogOptions d = KafkaLogOptions.defaults(bootstrapServers);
    return d.withPartitions(12).withCompression(compression)
        .withLinger(Integer.getInteger("herald.bench.kafka.lingerMs", d.lingerMs()),
            Integer.getInteger("herald.bench.kafka.batchBytes", d.batchBytes()))
        .withMaxInFlight(Integer.getInteger("herald.bench.kafka.maxInFlight", d.maxInFlight()));
  }

  /**
   * Warms each mode up, then measures {@value #ROUNDS} rounds of: bare producer, producer with
   * Herald's layout, Herald's log (interleaved, so that a busy moment of the machine hits all
   * three); per mode the round of median CPU time per record counts.
   */
  static List<Figures> run(KafkaLogOptions options, int records) throws Exception {
    List<Event> warm = events(Math.min(records, 50_000), "warm");
    List<Event> events = events(records, "run");
    Vertx vertx = Vertx.vertx();
    try {
      for (String topic : List.of("bench.bare", "bench.keyed", "bench.layout", "bench.herald")) {
        // Opening the log creates its topic as Herald does; the plain producers write to such topics too.
        KafkaEventLog.open(vertx, options.withTopic(topic)).compose(KafkaEventLog::close).await();
      }
      List<List<Figures>> rounds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (int round = -1; round < ROUNDS; round++) { // round -1 warms up
        List<Event> batch = round < 0 ? warm : events;
        List<Figures> figures = List.of(rawProducer(options.withTopic("bench.bare"), batch, Layout.BARE),
            rawProducer(options.withTopic("bench.keyed"), batch, Layout.KEYED),
            rawProducer(options.withTopic("bench.layout"), batch, Layout.HERALD),
            heraldLog(vertx, options.withTopic("bench.herald"), batch));
        for (int mode = 0; round >= 0 && mode < figures.size(); mode++) rounds.get(mode).add(figures.get(mode));
      }
      List<Figures> out = new ArrayList<>();
      for (List<Figures> mode : rounds) {
        List<Figures> sorted = new ArrayList<>(mode);
        sorted.sort(java.util.Comparator.comparingDouble(Figures::cpuNsPerRecord));
        out.add(sorted.get(sorted.size() / 2));
      }
      return out;
    } finally {
      vertx.close().await();
    }
  }

  static void print(KafkaLogOptions options, List<Figures> figures) {
    System.out.printf(Locale.ROOT, "  Kafka log append path, %d records of ~%d B, %s, linger.ms %d, batch.size %d, "
            + "max.in.flight %d, acks=all, idempotent; median of %d rounds (CPU and allocation of the appending JVM only)%n",
        figures.get(0).records(), (int) avgPayload, options.compression(), options.lingerMs(), options.batchBytes(),
        options.maxInFlight(), ROUNDS);
    System.out.printf(Locale.ROOT, "  %-44s %12s %12s %12s %12s %12s%n", "mode", "records/s", "CPU ns/rec",
        "alloc B/rec", "rec size B", "sent B/rec");
    for (Figures f : figures) {
      System.out.printf(Locale.ROOT, "  %-44s %12.0f %12.0f %12.0f %12.0f %12.1f%n", f.mode(), f.recordsPerSecond(),
          f.cpuNsPerRecord(), f.allocatedBytesPerRecord(), f.recordSizeAvg(), f.sentBytesPerRecord());
    }
    difference("the key (partitioning by user)", figures.get(0), figures.get(1));
    difference("Herald's headers", figures.get(1), figures.get(2));
    difference("Herald's log around the producer", figures.get(2), figures.get(3));
  }

  private static void difference(String what, Figures from, Figures to) {
    System.out.printf(Locale.ROOT, "  %-44s %+12.0f %+12.0f %12s %+12.1f%n", "+ " + what,
        to.cpuNsPerRecord() - from.cpuNsPerRecord(), to.allocatedBytesPerRecord() - from.allocatedBytesPerRecord(), "",
        to.sentBytesPerRecord() - from.sentBytesPerRecord());
  }

  private static double avgPayload;

  /** Stored events as ingest makes them: ~600 B of JSON in an exactly sized array, 10,000 users. */
  private static List<Event> events(int count, String prefix) {
    List<Event> out = new ArrayList<>(count);
    Instant receivedAt = Instant.now();
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      if (i % PER_APPEND == 0) receivedAt = receivedAt.plusMillis(1); // one receipt time per request
      String messageId = prefix + "-" + i;
      byte[] json = BatchBodies.single(i).toString().replace("\"messageId\":\"bench-" + i + "\"",
              "\"messageId\":\"" + messageId + "\",\"receivedAt\":\"" + receivedAt + "\"")
          .getBytes(StandardCharsets.UTF_8);
      bytes += json.length;
      out.add(new Event(messageId, "track", "analytics", "bench", "user-" + (i % 10_000), receivedAt,
          Buffer.buffer(json)));
    }
    avgPayload = (double) bytes / count;
    return out;
  }

  private static Figures rawProducer(KafkaLogOptions options, List<Event> events, Layout layout)
      throws Exception {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    for (Event e : events) {
      byte[] value = e.payloadBytes().getBytes();
      records.add(switch (layout) {
        case BARE -> new ProducerRecord<>(options.topic(), value);
        case KEYED -> new ProducerRecord<>(options.topic(), e.partitionKey(), value);
        case HERALD -> new ProducerRecord<>(options.topic(), null, null, e.partitionKey(), value, headers(e));
      });
    }
    String clientId = "bench-" + layout.name().toLowerCase(Locale.ROOT) + "-" + System.nanoTime();
    Map<String, Object> props = new HashMap<>(options.producerProperties());
    props.put("client.id", clientId);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      producer.partitionsFor(options.topic()); // metadata fetched before the clock starts
      Meter meter = Meter.start();
      CountDownLatch done = new CountDownLatch(records.size());
      AtomicReference<Exception> failure = new AtomicReference<>();
      // Chunks of PER_APPEND records, WINDOW chunks unacknowledged at most: what the log's appends do.
      Semaphore window = new Semaphore(WINDOW);
      for (int from = 0; from < records.size(); from += PER_APPEND) {
        window.acquire();
        List<ProducerRecord<String, byte[]>> chunk = records.subList(from, Math.min(records.size(), from + PER_APPEND));
        java.util.concurrent.atomic.AtomicInteger unacknowledged = new java.util.concurrent.atomic.AtomicInteger(chunk.size());
        for (ProducerRecord<String, byte[]> r : chunk) {
          producer.send(r, (m, e) -> {
            if (e != null) failure.compareAndSet(null, e);
            if (unacknowledged.decrementAndGet() == 0) window.release();
            done.countDown();
          });
        }
      }
      if (!done.await(5, TimeUnit.MINUTES) || failure.get() != null) {
        throw new IllegalStateException("the producer did not acknowledge every record", failure.get());
      }
      return meter.stop(layout.label, records.size(), clientId);
    }
  }

  private static Figures heraldLog(Vertx vertx, KafkaLogOptions options, List<Event> events) throws Exception {
    KafkaEventLog log = KafkaEventLog.open(vertx, options).await();
    try {
      log.append(events.subList(0, 1)).await(); // metadata and producer id before the clock starts
      List<List<Event>> appends = new ArrayList<>();
      for (int i = 1; i < events.size(); i += PER_APPEND) {
        appends.add(events.subList(i, Math.min(events.size(), i + PER_APPEND)));
      }
      Meter meter = Meter.start();
      Promise<Void> all = Promise.promise();
      AtomicLong next = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      vertx.runOnContext(v -> {
        for (int i = 0; i < WINDOW; i++) appendNext(log, appends, next, completed, all);
      });
      all.future().await();
      return meter.stop("KafkaEventLog.append (Herald's log)",
          events.size() - 1, "herald-producer-");
    } finally {
      log.close().await();
    }
  }

  private static void appendNext(KafkaEventLog log, List<List<Event>> appends, AtomicLong next, AtomicLong completed,
      Promise<Void> all) {
    int index = (int) next.getAndIncrement();
    if (index >= appends.size()) return;
    Future<Void> appended = log.append(appends.get(index));
    appended.onComplete(r -> {
      if (r.failed()) {
        all.tryFail(r.cause());
      } else if (completed.incrementAndGet() == appends.size()) {
        all.tryComplete();
      } else {
        appendNext(log, appends, next, completed, all);
      }
    });
  }

  private static RecordHeaders headers(Event e) {
    List<Header> headers = List.of(
        new RecordHeader("herald.messageId", e.messageId().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("herald.source", e.sourceId().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("herald.topic", e.topic().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("herald.type", e.type().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("herald.receivedAt",
            Long.toString(e.receivedAt().toEpochMilli()).getBytes(StandardCharsets.US_ASCII)));
    return new RecordHeaders(headers);
  }

  /** CPU time, heap allocation and wall time of this JVM over one mode. */
  private record Meter(long wallStart, long cpuStart, long allocatedStart) {

    static Meter start() {
      System.gc();
      return new Meter(System.nanoTime(), cpuNanos(), allocatedBytes());
    }

    Figures stop(String mode, long records, String clientIdPrefix) throws Exception {
      double seconds = (System.nanoTime() - wallStart) / 1e9;
      long cpu = cpuNanos() - cpuStart;
      long allocated = allocatedBytes() - allocatedStart;
      Map<String, Double> metrics = producerMetrics(clientIdPrefix);
      double sent = metrics.getOrDefault("outgoing-byte-total", Double.NaN);
      double sentRecords = metrics.getOrDefault("record-send-total", Double.NaN);
      return new Figures(mode, records, records / seconds, (double) cpu / records, (double) allocated / records,
          metrics.getOrDefault("record-size-avg", Double.NaN), sent / sentRecords);
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Heap bytes allocated by every live thread (the producer's and the log's threads live through a mode). */
    private static long allocatedBytes() {
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long total = 0;
      for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
        if (a > 0) total += a;
      }
      return total;
    }

    /** The producer's own metrics, read over JMX (Herald's producer is not reachable otherwise). */
    private static Map<String, Double> producerMetrics(String clientIdPrefix) throws Exception {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Map<String, Double> out = new HashMap<>();
      for (ObjectName name : server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
        if (!name.getKeyProperty("client-id").startsWith(clientIdPrefix)) continue;
        for (String attribute : List.of("outgoing-byte-total", "record-send-total", "record-size-avg")) {
          Object value = server.getAttribute(name, attribute);
          if (value instanceof Number n) out.put(attribute, n.doubleValue());
        }
      }
      return out;
    }
  }
}
