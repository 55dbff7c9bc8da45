package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.ingest.EventNormalizer.RequestScope;
import dev.herald.ingest.FuzzBodies.KeyPlacement;
import dev.herald.ingest.FuzzBodies.Request;
import dev.herald.ingest.PayloadParser.BatchItem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated bodies (truncated JSON, wrong types, huge numbers, deep
 * nesting, long strings, invalid UTF-8, gzip garbage) against the real server: it answers only
 * 2xx or 4xx, stays up, and the log holds exactly the events it answered as accepted. The seed
 * is fixed so a failure replays; {@code -Dherald.fuzz.seed=N} explores others.
 */
class GeneratedInputTest extends IngestTestBase {

  private static final long SEED = Long.getLong("herald.fuzz.seed", 20261123L);
  /** Named in every failure, so it replays. */
  private static final String REPLAY = "seed " + SEED + " (-Dherald.fuzz.seed=" + SEED + ")";
  private static final int HTTP_REQUESTS = 2000;
  private static final int IN_FLIGHT = 16;
  private static final int DIRECT_BODIES = 20_000;

  /** fsync is beside the point here and would only slow the loop down. */
  @Override
  EventLog createLog(Vertx vertx, Path dir) throws Exception {
    return EmbeddedEventLog.open(vertx, new EmbeddedLogOptions(dir, EmbeddedLogOptions.Fsync.INTERVAL,
        Duration.ofMillis(200), 64L * 1024 * 1024, 0, null)).await(20, TimeUnit.SECONDS);
  }

  @Test
  void onlyTwoOrFourHundredsAndTheLogHoldsExactlyTheAccepted() throws Exception {
    FuzzBodies bodies = new FuzzBodies(SEED, WEB_KEY);
    Map<Integer, Integer> statuses = new TreeMap<>();
    Set<String> codes = new HashSet<>();
    long accepted = 0;
    for (int sent = 0; sent < HTTP_REQUESTS; sent += IN_FLIGHT) {
      List<Request> requests = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        Request request = bodies.next();
        requests.add(request);
        responses.add(client.post(request.path()).putHeaders(headersOf(request)).sendBuffer(Buffer.buffer(request.body())));
      }
      for (int i = 0; i < IN_FLIGHT; i++) {
        HttpResponse<Buffer> response = await(responses.get(i));
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        String context = REPLAY + ", " + requests.get(i).path() + " " + HexFormat.of().formatHex(
            java.util.Arrays.copyOf(requests.get(i).body(), Math.min(300, requests.get(i).body().length)))
            + " -> " + status + " " + response.bodyAsString();
        if (status < 200 || status >= 500 || (status >= 300 && status < 400)) {
          fail("answered " + status + ": " + context);
        }
        JsonObject body = response.bodyAsJsonObject();
        if (status == 200) {
          assertEquals(true, body.getBoolean("success"), context);
          accepted += body.getInteger("accepted");
        } else {
          assertEquals(false, body.getBoolean("success"), context);
          codes.add(body.getString("code"));
        }
      }
    }
    assertEquals(204, await(client.get("/v1/ping").send()).statusCode(), "the server must stay up; " + REPLAY);
    List<LogEntry> stored = readLog();
    assertEquals(accepted, stored.size(), "statuses " + statuses + "; " + REPLAY);
    // Not vacuous: plenty accepted, and every kind of refusal met.
    assertTrue(accepted > HTTP_REQUESTS / 4, "only " + accepted + " accepted; statuses " + statuses + "; " + REPLAY);
    for (String code : List.of("invalid_json", "invalid_event", "invalid_charset", "invalid_encoding",
        "invalid_write_key", "nesting_too_deep", "number_too_long", "string_too_long", "unsupported_media_type")) {
      assertTrue(codes.contains(code), code + " never answered; codes " + codes + "; " + REPLAY);
    }
  }

  @Test
  void parserAndNormalizersRefuseOnlyWithIngestErrors() {
    FuzzBodies bodies = new FuzzBodies(SEED + 1, WEB_KEY);
    IngestOptions options = options();
    PayloadParser parser = new PayloadParser(options.maxBatchEvents(), options.json(), options.maxEventBytes());
    EventNormalizer normalizer = new EventNormalizer(options.maxEventBytes());
    RawRecordNormalizer records = new RawRecordNormalizer(options.maxEventBytes());
    int refused = 0;
    for (int i = 0; i < DIRECT_BODIES; i++) {
      Request request = bodies.next();
      byte[] body = request.body();
      try {
        if (Utf8.firstInvalidByte(body, body.length) >= 0) {
          refused++;
          continue;
        }
        RequestScope scope = RequestScope.of("web", IpPolicy.TRUNCATE, "192.0.2.7", Instant.now(), null, null);
        if (FuzzBodies.SINGLE_PATHS.contains(request.path())) {
          normalizer.normalize(parser.parseObject(body), body.length, "track", scope);
        } else if (FuzzBodies.BATCH_PATHS.contains(request.path())) {
          PayloadParser.Batch batch = parser.parseBatch(body);
          RequestScope batchScope = RequestScope.of("web", IpPolicy.KEEP, "2001:db8::1", Instant.now(),
              batch.envelope(), null);
          for (BatchItem item : batch.items()) {
            normalizer.normalize(item.value(), item.sizeBytes(), null, batchScope);
          }
        } else {
          List<BatchItem> items = parser.parseRecords(body);
          for (int k = 0; k < items.size(); k++) {
            records.normalize(items.get(k).value(), items.get(k).sizeBytes(), k, items.size(), "idem", "fuzz", "web",
                Instant.now());
          }
        }
      } catch (IngestException expected) {
        refused++;
      } catch (RuntimeException e) {
        throw new AssertionError(REPLAY + ": " + e + " on " + HexFormat.of().formatHex(
            java.util.Arrays.copyOf(body, Math.min(400, body.length))), e);
      }
    }
    assertTrue(refused > DIRECT_BODIES / 10 && refused < DIRECT_BODIES, "refused " + refused + "; " + REPLAY);
  }

  private static MultiMap headersOf(Request request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (request.contentType() != null) {
      headers.add("Content-Type", request.contentType());
    }
    if (request.gzip()) {
      headers.add("Content-Encoding", "gzip");
    }
    if (request.key() == KeyPlacement.BASIC) {
      headers.add("Authorization", basic(WEB_KEY));
    } else if (request.key() == KeyPlacement.WRONG) {
      headers.add("Authorization", basic("wrong-key"));
    }
    return headers;
  }
}
