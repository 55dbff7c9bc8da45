package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.ingest.IngestPipelines.Result;
import dev.herald.ingest.IngestPipelines.Route;
import dev.herald.ingest.IngestPipelines.Scope;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes as a request body of each kind, through the tree-based reference and the streaming
 * normalizer: the same request error, rejections, stored JSON and stored sizes. Small limits so
 * the fuzzer reaches every bound.
 *
 * <p>{@code mvn test} runs the inputs under {@code NormalizerDifferentialFuzzTestInputs/}; fuzzing
 * is {@code JAZZER_FUZZ=1 ./mvnw -pl ingest test -Dtest=NormalizerDifferentialFuzzTest}.
 */
class NormalizerDifferentialFuzzTest {

  private static final IngestOptions OPTIONS = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")))
      .withLimits(512, 4096, 20)
      .withJsonLimits(new JsonLimits(16, 0, 40));
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final String[] ADDRESSES = {null, "192.0.2.7", "2001:db8::1", "::ffff:198.51.100.4"};

  private final IngestPipelines pipelines = new IngestPipelines(OPTIONS);

  @FuzzTest(maxDuration = "10m")
  void anyBodyIsStoredAndRefusedAlikeByBothNormalizers(byte[] input) {
    if (input.length == 0) {
      return;
    }
    // The first byte picks the route, the IP policy and the client address; the rest is the body.
    byte[] body = Arrays.copyOfRange(input, 1, Math.min(input.length, OPTIONS.maxRequestBytes() + 1));
    if (Utf8.firstInvalidByte(body, body.length) >= 0) {
      return;
    }
    int choice = input[0] & 0xFF;
    Route route = Route.values()[choice % 3];
    Scope scope = new Scope(IpPolicy.values()[(choice / 3) % 3], ADDRESSES[(choice / 9) % ADDRESSES.length], NOW);
    Result reference = pipelines.reference(route, body, scope);
    Result streaming = pipelines.streaming(route, body, scope);
    assertEquals(reference, streaming);
  }
}
