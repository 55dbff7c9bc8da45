package dev.herald.ingest;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request flow of {@link IngestHandler} from body to outcomes, without HTTP, twice: through
 * the tree-based reference (PayloadParser, EventNormalizer, RawRecordNormalizer, StoredSizeBound,
 * as ingest worked before the streaming normalizer) and through the streaming one. Each gives a
 * comparable {@link Result}: what the HTTP answer is made of, and each accepted event as stored.
 */
final class IngestPipelines {

  enum Route { SINGLE, BATCH, RECORDS }

  /** Where the request came from and under which policy (what {@code scope(…)} gives ingest). */
  record Scope(IpPolicy policy, String clientAddress, Instant now) {}

  /**
   * A request's outcome: a request-level error ("code: message"), or one line per item; the
   * write key the body carried is part of it (authentication reads it).
   */
  record Result(String requestError, Object bodyKey, List<String> items, List<JsonObject> payloads) {}

  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private final IngestOptions options;
  private final boolean describe;
  private final PayloadParser parser;
  private final EventNormalizer oldEvents;
  private final RawRecordNormalizer oldRecords;
  private final RequestReader reader;
  private final SegmentEvents newEvents;
  private final RawRecords newRecords;
  /** Kept across requests as the handler keeps them, so that no request's state leaks into the next. */
  private final RecordBytes recordBytes;
  private final EventScope.ReceivedTimes receivedTimes = new EventScope.ReceivedTimes();

  IngestPipelines(IngestOptions options) {
    this(options, true);
  }

  /** @param describe false to only count outcomes (for a benchmark), without reading events back */
  IngestPipelines(IngestOptions options, boolean describe) {
    this.options = options;
    this.describe = describe;
    this.parser = new PayloadParser(options.maxBatchEvents(), options.json(), options.maxEventBytes());
    this.oldEvents = new EventNormalizer(options.maxEventBytes());
    this.oldRecords = new RawRecordNormalizer(options.maxEventBytes());
    this.reader = new RequestReader(options.maxBatchEvents(), options.json(), options.maxEventBytes());
    this.recordBytes = new RecordBytes(reader.json(), options.maxEventBytes());
    this.newEvents = new SegmentEvents(options.maxEventBytes());
    this.newRecords = new RawRecords(options.maxEventBytes());
  }

  Result reference(Route route, byte[] body, Scope scope) {
    EventNormalizer events = oldEvents;
    RawRecordNormalizer records = oldRecords;
    StoredSizeBound bound = new StoredSizeBound(options.maxStoredRequestBytes(), options.maxEventBytes());
    Object[] bodyKey = {null};
    List<String> items = new ArrayList<>();
    List<JsonObject> payloads = new ArrayList<>();
    try {
      switch (route) {
        case SINGLE -> {
          if (body.length > options.maxEventBytes()) {
            throw tooLarge(body.length);
          }
          JsonObject event = parser.parseObject(body);
          bodyKey[0] = event.getValue("writeKey");
          add(events.normalize(event, body.length, "track", oldScope(scope, null, null)), items, payloads);
        }
        case BATCH -> {
          PayloadParser.Batch batch = parser.parseBatch(body);
          bodyKey[0] = batch.envelope().getValue("writeKey");
          requireItems(batch.items().size());
          Instant sentAt = sentAt(batch.envelope().getValue("sentAt"));
          EventNormalizer.RequestScope requestScope = oldScope(scope, batch.envelope(), sentAt);
          for (PayloadParser.BatchItem item : batch.items()) {
            EventNormalizer.Outcome outcome = events.normalize(item.value(), item.sizeBytes(), null, requestScope);
            bound.charge(outcome);
            add(outcome, items, payloads);
          }
        }
        case RECORDS -> {
          List<PayloadParser.BatchItem> list = parser.parseRecords(body);
          for (int i = 0; i < list.size(); i++) {
            EventNormalizer.Outcome outcome = records.normalize(list.get(i).value(), list.get(i).sizeBytes(), i,
                list.size(), i % 2 == 0 ? "idem" : null, "fuzz", "web", scope.now());
            bound.charge(outcome);
            add(outcome, items, payloads);
          }
        }
      }
    } catch (IngestException e) {
      return new Result(e.code().wireName() + ": " + e.getMessage(), bodyKey[0], items, payloads);
    }
    return new Result(null, bodyKey[0], items, payloads);
  }

  Result streaming(Route route, byte[] body, Scope scope) {
    SegmentEvents events = newEvents;
    RawRecords records = newRecords;
    StoredBound bound = new StoredBound(options.maxStoredRequestBytes(), options.maxEventBytes());
    RecordBytes out = recordBytes;
    out.startRequest(body);
    Object[] bodyKey = {null};
    List<String> items = new ArrayList<>();
    List<JsonObject> payloads = new ArrayList<>();
    try {
      switch (route) {
        case SINGLE -> {
          if (body.length > options.maxEventBytes()) {
            throw tooLarge(body.length);
          }
          ScannedObject event = reader.readObject(body);
          bodyKey[0] = event.value("writeKey");
          add(events.normalize(new RequestReader.Item(event, body.length), "track", newScope(scope, null, null), out),
              items, payloads);
        }
        case BATCH -> {
          RequestReader.Batch batch = reader.readBatch(body);
          bodyKey[0] = batch.envelope().getValue("writeKey");
          requireItems(batch.items().size());
          Instant sentAt = sentAt(batch.envelope().getValue("sentAt"));
          EventScope requestScope = newScope(scope, new Envelope(batch.envelope()), sentAt);
          for (RequestReader.Item item : batch.items()) {
            ItemOutcome outcome = events.normalize(item, null, requestScope, out);
            bound.charge(outcome);
            add(outcome, items, payloads);
          }
        }
        case RECORDS -> {
          List<RequestReader.Item> list = reader.readRecords(body);
          for (int i = 0; i < list.size(); i++) {
            ItemOutcome outcome = records.normalize(list.get(i), i, list.size(), i % 2 == 0 ? "idem" : null, "fuzz",
                "web", scope.now(), out);
            bound.charge(outcome);
            add(outcome, items, payloads);
          }
        }
      }
    } catch (IngestException e) {
      return new Result(e.code().wireName() + ": " + e.getMessage(), bodyKey[0], items, payloads);
    }
    return new Result(null, bodyKey[0], items, payloads);
  }

  private IngestException tooLarge(int length) {
    return new IngestException(ErrorCode.EVENT_TOO_LARGE, "the event is " + length
        + " bytes, over maxEventBytes (" + options.maxEventBytes() + " bytes)");
  }

  private static void requireItems(int count) {
    if (count == 0) {
      throw new IngestException(ErrorCode.INVALID_BATCH, "the batch is empty: \"batch\" holds no events");
    }
  }

  /** As {@code IngestHandler.batch} checks the batch's sentAt. */
  private static Instant sentAt(Object value) {
    if (value == null) {
      return null;
    }
    Instant sentAt = value instanceof String text ? Timestamps.parse(text) : null;
    if (sentAt == null) {
      throw new IngestException(ErrorCode.INVALID_BATCH, "the batch's \"sentAt\" must be an ISO-8601 date-time "
          + "with a time zone, such as 2026-11-23T10:00:00.000Z; got " + EventValidator.quoted(value));
    }
    return sentAt;
  }

  private static EventNormalizer.RequestScope oldScope(Scope scope, JsonObject envelope, Instant sentAt) {
    return EventNormalizer.RequestScope.of("web", scope.policy(), address(scope), scope.now(), envelope, sentAt);
  }

  private EventScope newScope(Scope scope, Envelope envelope, Instant sentAt) {
    return EventScope.of("web", scope.policy(), address(scope), scope.now(), envelope, sentAt, receivedTimes);
  }

  private static String address(Scope scope) {
    return scope.policy() == IpPolicy.DROP ? null : scope.clientAddress();
  }

  private void add(EventNormalizer.Outcome outcome, List<String> items, List<JsonObject> payloads) {
    if (!describe) {
      items.add(null);
    } else if (outcome instanceof EventNormalizer.Rejected r) {
      items.add("rejected " + r.code().wireName() + " (" + r.messageId() + "): " + r.message());
    } else {
      accepted(((EventNormalizer.Accepted) outcome).event(), items, payloads);
    }
  }

  private void add(ItemOutcome outcome, List<String> items, List<JsonObject> payloads) {
    if (!describe) {
      items.add(null);
    } else if (outcome instanceof ItemOutcome.Rejected r) {
      items.add("rejected " + r.code().wireName() + " (" + r.messageId() + "): " + r.message());
    } else {
      accepted(((ItemOutcome.Accepted) outcome).event(), items, payloads);
    }
  }

  /**
   * An accepted event, its generated messageId (a random UUID) replaced by a placeholder so the
   * two runs compare; its stored size is part of the line, as every size limit depends on it.
   */
  private static void accepted(Event e, List<String> items, List<JsonObject> payloads) {
    JsonObject payload = new JsonObject(e.payloadBytes());
    String id = e.messageId();
    boolean generated = UUID_V4.matcher(id).matches();
    if (generated && id.equals(payload.getValue("messageId"))) {
      payload.put("messageId", "<generated>");
    }
    String key = generated && e.partitionKey().equals(id) ? "<generated>" : e.partitionKey();
    items.add("accepted " + (generated ? "<generated>" : id) + " type=" + e.type() + " topic=" + e.topic()
        + " source=" + e.sourceId() + " key=" + key + " receivedAt=" + e.receivedAt() + " bytes="
        + e.payloadBytes().length());
    payloads.add(payload);
  }
}
