package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a batch and writes its Amplitude events straight into request bodies, cut where
 * {@link RequestEncoder} says: the batch's payloads are read where they lie side by side in the
 * thread's {@link Scratch}, each event is written once into its scratch writer and
 * copied once into its body, which is sized up front from the batch's stored bytes. No event has a
 * buffer of its own; a {@link Unit} points at its bytes in the body, from where a resent part of
 * the request (after a 413 or a refused remainder) is copied.
 */
final class BatchEncoder {

  /** One request: its events and its body, ready to post. */
  record Request(List<Unit> units, Buffer body) {}

  /**
   * A batch mapped and cut into requests.
   *
   * @param units every Amplitude event, in order (those too large for any request carry their outcome)
   * @param unsendable per stored event, its outcome if it cannot be sent at all, else null
   */
  record Prepared(List<Unit> units, SendResult[] unsendable, List<Request> requests) {}

  private static final Buffer NO_BYTES = Buffer.buffer(0);

  /**
   * Encoded bytes per 1000 stored bytes in the last batch: a body is sized from what is left of
   * its batch by this ratio (plus a margin), as a backlog's events are alike. Starts at 1:1.
   */
  private volatile int encodedPerMille = 1000;

  private final AmplitudeConfig config;
  private final SegmentMapper mapper;
  private final RequestEncoder encoder;

  BatchEncoder(AmplitudeConfig config) {
    this.config = config;
    this.mapper = new SegmentMapper(config);
    this.encoder = new RequestEncoder(config);
  }

  RequestEncoder requestEncoder() {
    return encoder;
  }

  Prepared encode(List<Event> batch) {
    Bodies bodies = new Bodies(batch);
    SendResult[] unsendable = new SendResult[batch.size()];
    Scratch scratch = Scratch.get();
    try {
      for (int i = 0; i < batch.size(); ) {
        for (int end = scratch.load(batch, i); i < end; i++) {
          Event event = batch.get(i);
          bodies.startEvent(i, event);
          String rejection = mapper.map(event, i, scratch, bodies);
          if (rejection != null) unsendable[i] = SendResult.rejected(rejection, 0, null);
        }
      }
    } finally {
      scratch.release();
    }
    bodies.close();
    if (bodies.storedBytes > 0) encodedPerMille = (int) Math.min(4000, 1 + bodies.encodedBytes * 1000 / bodies.storedBytes);
    return new Prepared(bodies.units, unsendable, bodies.requests);
  }

  /** The bodies of one batch being written: receives each mapped event and puts it in the current request. */
  private final class Bodies implements SegmentMapper.Output {
    final List<Unit> units;
    final List<Request> requests = new ArrayList<>();
    long storedBytes;
    long encodedBytes;
    private long storedBytesLeft;
    private int eventsLeft;
    private int owner;
    private String partitionKey;
    private Buffer body;
    private List<Unit> current;

    Bodies(List<Event> batch) {
      units = new ArrayList<>(batch.size());
      for (Event event : batch) storedBytes += event.payloadBytes().length();
      storedBytesLeft = storedBytes;
      eventsLeft = batch.size();
    }

    void startEvent(int index, Event event) {
      owner = index;
      partitionKey = event.partitionKey();
      storedBytesLeft -= event.payloadBytes().length();
      eventsLeft--;
    }

    @Override
    public void add(JsonWriter event, String userId, String deviceId) {
      int length = event.size();
      if (encoder.tooLarge(length)) {
        Unit unit = new Unit(owner, NO_BYTES, 0, length, userId, deviceId, partitionKey);
        unit.outcome = SendResult.rejected("the event is " + length + " bytes encoded, too large for one "
            + config.api().configName() + " request", 0, null);
        units.add(unit);
        return;
      }
      if (body != null && encoder.full(current.size(), body.length() + encoder.suffix().length, length)) close();
      if (body == null) open(length);
      if (!current.isEmpty()) body.appendByte((byte) ',');
      Unit unit = new Unit(owner, body, body.length(), length, userId, deviceId, partitionKey);
      body.appendBytes(event.bytes(), 0, length);
      encodedBytes += length;
      current.add(unit);
      units.add(unit);
    }

    /** A body sized for this event and what is left of the batch (10% and 16 bytes an event to spare), within the API's bound. */
    private void open(int firstEvent) {
      long expected = encoder.overhead() + firstEvent + storedBytesLeft * encodedPerMille * 11 / 10_000 + 16L * eventsLeft;
      body = Buffer.buffer((int) Math.min(expected, encoder.maxBodyBytes())).appendBytes(encoder.prefix());
      current = new ArrayList<>();
    }

    void close() {
      if (body == null) return;
      requests.add(new Request(current, body.appendBytes(encoder.suffix())));
      body = null;
      current = null;
    }
  }
}
