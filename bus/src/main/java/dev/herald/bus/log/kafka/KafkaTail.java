package dev.herald.bus.log.kafka;

import dev.herald.destination.api.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The newest events of Herald's Kafka topic, read by a consumer outside any group (no offsets
 * committed, nothing written), for previews: the newest {@code n} wanted events of each
 * partition, merged by receivedAt. Reads backwards in growing windows, so a destination whose
 * events are rare among others' costs a bounded scan ({@value #MAX_SCAN_PER_PARTITION} records per
 * partition), not the whole topic.
 */
public final class KafkaTail {

  static final long MAX_SCAN_PER_PARTITION = 1_000_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private KafkaTail() {}

  /** Up to {@code n} of the newest events {@code wanted} accepts, oldest first. Blocking. */
  public static List<Event> last(KafkaLogOptions options, int n, Predicate<Event> wanted) {
    if (n < 1) throw new IllegalArgumentException("n must be at least 1");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.reader(options))) {
      List<TopicPartition> partitions = consumer.partitionsFor(options.topic(), TIMEOUT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      List<Event> all = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        all.addAll(lastOf(consumer, tp, starts.get(tp), ends.get(tp), n, wanted));
      }
      all.sort(Comparator.comparing(Event::receivedAt));
      return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }
  }

  /** The newest {@code n} wanted events of one partition, in offset order. */
  private static List<Event> lastOf(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long start, long end,
      int n, Predicate<Event> wanted) {
    Deque<List<Event>> chunksNewestFirst = new ArrayDeque<>();
    int found = 0;
    long to = end;
    long window = n;
    while (found < n && to > start && end - to < MAX_SCAN_PER_PARTITION) {
      long from = Math.max(start, to - window);
      List<Event> chunk = read(consumer, tp, from, to, wanted);
      chunksNewestFirst.push(chunk);
      found += chunk.size();
      to = from;
      window = Math.min(window * 4, MAX_SCAN_PER_PARTITION);
    }
    List<Event> out = new ArrayList<>(found);
    chunksNewestFirst.forEach(out::addAll);
    return out.subList(Math.max(0, out.size() - n), out.size());
  }

  /** The wanted events at offsets {@code [from, to)}. */
  private static List<Event> read(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long from, long to,
      Predicate<Event> wanted) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    List<Event> out = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consumer.position(tp, TIMEOUT) < to) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out reading " + tp);
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500)).records(tp)) {
        if (record.offset() >= to) break;
        Event event = KafkaRecords.toEvent(record);
        if (event != null && wanted.test(event)) out.add(event);
      }
    }
    return out;
  }
}
