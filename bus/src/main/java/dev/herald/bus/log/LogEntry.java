package dev.herald.bus.log;

import dev.herald.destination.api.Event;

/**
 * An event at its place in the log.
 *
 * @param partition 0 for the embedded log; the Kafka partition otherwise
 * @param offset position within the partition, increasing by one per event
 * @param sizeBytes the stored payload size, for batch sizing
 */
public record LogEntry(int partition, long offset, Event event, int sizeBytes) {}
