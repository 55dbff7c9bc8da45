package dev.herald.bus.log;

/**
 * Events a consumer will never receive, by cause, counted since its log opened; each loss is
 * also logged with where it happened.
 *
 * @param retention events deleted by a retention bound before the consumer committed them
 * @param damaged events in damaged records (checksum, length or offset errors) the consumer
 *     skipped to reach the next readable record
 * @param reset offsets between the log's end and a committed cursor beyond it (a Kafka topic
 *     deleted and created again, a leader elected uncleanly): what the cursor pointed past is gone,
 *     and the consumer reads again from the log's start
 */
public record LogLosses(long retention, long damaged, long reset) {

  public static final LogLosses NONE = new LogLosses(0, 0, 0);

  public LogLosses(long retention, long damaged) {
    this(retention, damaged, 0);
  }

  public long total() {
    return retention + damaged + reset;
  }
}
