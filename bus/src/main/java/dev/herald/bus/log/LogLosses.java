package dev.herald.bus.log;

/**
 * Events a consumer will never receive, by cause, counted since its log opened; each loss is
 * also logged with where it happened.
 *
 * @param retention events deleted by a retention bound before the consumer committed them
 * @param damaged events in damaged records (checksum, length or offset errors) the consumer
 *     skipped to reach the next readable record
 */
public record LogLosses(long retention, long damaged) {

  public static final LogLosses NONE = new LogLosses(0, 0);

  public long total() {
    return retention + damaged;
  }
}
