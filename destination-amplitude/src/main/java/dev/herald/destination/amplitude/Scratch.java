package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import java.util.Arrays;
import java.util.List;

/**
 * A thread's reusable space for mapping a batch: the stored payloads of a run of its events copied
 * side by side (read there by one parser, {@link SegmentFields.Cursor}, from one event to the
 * next), the fields read from the event at hand, and the Amplitude event being written. Nothing
 * of it is allocated per event; what grew for an unusually large event is let go after the batch.
 */
final class Scratch {

  /** Payload bytes copied at a time: a run of events, never less than one. */
  static final int RUN_BYTES = 512 * 1024;

  private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

  final SegmentFields.Values values = new SegmentFields.Values();
  final SegmentFields.Cursor cursor = new SegmentFields.Cursor();
  final JsonWriter writer = new JsonWriter(4096);
  byte[] input = new byte[64 * 1024];
  private int first;
  private int[] from = new int[256];
  private int[] to = new int[256];

  static Scratch get() {
    return PER_THREAD.get();
  }

  /**
   * Copies the payloads of the Segment events of {@code batch} from {@code start} on, side by side,
   * until {@link #RUN_BYTES} are taken; raw-topic records are read as trees and take no room.
   *
   * @return the index after the last event of the run
   */
  int load(List<Event> batch, int start) {
    first = start;
    int size = 0;
    int end = start;
    while (end < batch.size()) {
      Event event = batch.get(end);
      int length = event.type() == null ? 0 : event.payloadBytes().length();
      if (end > start && size + length > RUN_BYTES) break;
      if (size + length > input.length) input = Arrays.copyOf(input, Math.max(size + length, input.length * 2));
      if (end - start == from.length) {
        from = Arrays.copyOf(from, from.length * 2);
        to = Arrays.copyOf(to, to.length * 2);
      }
      if (length > 0) event.payloadBytes().getBytes(0, length, input, size);
      from[end - start] = size;
      size += length;
      to[end - start] = size;
      end++;
    }
    cursor.over(input, size);
    return end;
  }

  /** Where event {@code index} of the batch (loaded by the last {@link #load}) starts in {@link #input}. */
  int from(int index) {
    return from[index - first];
  }

  int to(int index) {
    return to[index - first];
  }

  /** After a batch: closes the parser and drops arrays an outsized event made grow. */
  void release() {
    cursor.close();
    if (input.length > 2 * RUN_BYTES) input = new byte[64 * 1024];
    writer.shrink();
  }
}
