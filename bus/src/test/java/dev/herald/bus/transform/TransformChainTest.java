package dev.herald.bus.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformChainTest {

  /** DESIGN.md's connector chain: drop the timestamp, wrap the event, add the API key. */
  static final String SEED_CHAIN = """
      [{"operation":"remove","spec":{"timestamp":""}},
       {"operation":"shift","spec":{"event":"events[0]"}},
       {"operation":"default","spec":{"api_key":"TOKEN-1234"}}]""";

  private static TransformChain chain(String json) {
    TransformChain.Compiled compiled = compile(json);
    assertEquals(List.of(), compiled.problems());
    return compiled.chain();
  }

  private static TransformChain.Compiled compile(String json) {
    return TransformChain.compile(new JsonArray(json).getList().stream().map(TransformChainTest::plain).toList(),
        List.of("TOKEN-1234"));
  }

  /** Vert.x JSON to the plain maps and lists a chain is compiled from (as the launcher passes them). */
  private static Object plain(Object o) {
    if (o instanceof JsonObject j) return plain(j.getMap());
    if (o instanceof java.util.Map<?, ?> m) {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, plain(v)));
      return out;
    }
    if (o instanceof JsonArray a) return plain(a.getList());
    if (o instanceof List<?> l) return l.stream().map(TransformChainTest::plain).toList();
    return o;
  }

  private static JsonObject run(TransformChain chain, String json) {
    return new JsonObject(new String(chain.transform(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
  }

  @Test
  void theSeedChainTurnsAServiceRecordIntoAnAmplitudeRequestBody() {
    JsonObject out = run(chain(SEED_CHAIN),
        "{\"event\":{\"event_type\":\"signup\",\"user_id\":\"user-42\"},\"timestamp\":\"2026-11-29T10:00:00Z\"}");
    assertEquals(new JsonObject("{\"events\":[{\"event_type\":\"signup\",\"user_id\":\"user-42\"}],\"api_key\":\"TOKEN-1234\"}"),
        out);
    assertEquals(List.of("events", "api_key"), List.copyOf(out.fieldNames()), "key order as Jolt builds it");
  }

  @Test
  void applyKeepsTheEventsIdentityAndReplacesOnlyItsPayload() {
    Event in = new Event("m-1", null, "service-events", "backend", "user-42", Instant.parse("2026-11-29T10:00:00Z"),
        new JsonObject("{\"event\":{\"event_type\":\"signup\"},\"timestamp\":\"t\"}").toBuffer());
    Event out = chain(SEED_CHAIN).apply(in);
    assertEquals(List.of("m-1", "service-events", "backend", "user-42", in.receivedAt()),
        List.of(out.messageId(), out.topic(), out.sourceId(), out.partitionKey(), out.receivedAt()));
    assertNull(out.type());
    assertEquals("{\"events\":[{\"event_type\":\"signup\"}],\"api_key\":\"TOKEN-1234\"}", out.payloadBytes().toString());
    assertEquals("{\"event\":{\"event_type\":\"signup\"},\"timestamp\":\"t\"}", in.payloadBytes().toString(),
        "the stored event is untouched");
  }

  @Test
  void everyOperationHeraldOffersRunsThroughTheRealJolt() {
    TransformChain chain = chain("""
        [{"operation":"modify-overwrite-beta","spec":{"n":"=toInteger","full":"=concat(@(1,first),' ',@(1,last))"}},
         {"operation":"modify-default-beta","spec":{"plan":"free","first":"ignored: already set"}},
         {"operation":"cardinality","spec":{"tags":"MANY","ids":"ONE"}},
         {"operation":"sort"}]""");
    assertEquals(7, TransformChain.operations().size());
    JsonObject out = run(chain, "{\"n\":\"42\",\"first\":\"Ada\",\"last\":\"L\",\"tags\":\"x\",\"ids\":[7,8]}");
    assertEquals(new JsonObject("{\"first\":\"Ada\",\"full\":\"Ada L\",\"ids\":7,\"last\":\"L\",\"n\":42,"
        + "\"plan\":\"free\",\"tags\":[\"x\"]}"), out);
    assertEquals(List.of("first", "full", "ids", "last", "n", "plan", "tags"), List.copyOf(out.fieldNames()), "sorted");
  }

  @Test
  void aBadSpecIsAProblemNamingItsStepAndEveryProblemIsListed() {
    TransformChain.Compiled compiled = compile("""
        [{"operation":"remove","spec":{"timestamp":""}},
         {"operation":"shift","spec":{"event":"events[[0]"}},
         {"operation":"cardinality","spec":{"a":"TWO"}}]""");
    assertNull(compiled.chain());
    assertEquals(2, compiled.problems().size(), compiled.problems().toString());
    assertEquals(1, compiled.problems().get(0).index());
    assertTrue(compiled.problems().get(0).message().startsWith("step 2 (shift): "), compiled.problems().toString());
    assertEquals(2, compiled.problems().get(1).index());
    assertTrue(compiled.problems().get(1).message().startsWith("step 3 (cardinality): "));
  }

  @Test
  void operationsOutsideJoltsStockOnesAreRefusedSoNoClassIsEverLoadedByName() {
    TransformChain.Compiled compiled = compile("""
        [{"operation":"java.lang.ProcessBuilder","spec":{}},
         {"operation":"modify-define-beta","spec":{}},
         {"spec":{"a":"b"}},
         {"operation":"shift"},
         {"operation":"shift","spec":{},"with":1},
         {"operation":"sort","spec":{"a":"b"}}]""");
    List<String> messages = compiled.problems().stream().map(TransformChain.Problem::message).toList();
    assertEquals(6, messages.size(), messages.toString());
    assertTrue(messages.get(0).contains("unsupported operation 'java.lang.ProcessBuilder' (supported: shift, default"),
        messages.get(0));
    assertTrue(messages.get(1).startsWith("step 2 (modify-define-beta): unsupported operation"));
    assertEquals("step 3 (?): 'operation' is required: one of shift, default, remove, modify-overwrite-beta, "
        + "modify-default-beta, cardinality, sort", messages.get(2));
    assertEquals("step 4 (shift): 'spec' is required", messages.get(3));
    assertTrue(messages.get(4).contains("unknown key 'with'"));
    assertTrue(messages.get(5).startsWith("step 6 (sort): sort takes no spec"));
  }

  @Test
  void aStepThatThrowsFailsTheEventWithThatStepsNumber() {
    TransformChain chain = chain("""
        [{"operation":"default","spec":{"b":1}},
         {"operation":"shift","spec":{"a":"&3"}}]""");
    TransformException e = assertThrows(TransformException.class, () -> chain.transform("{\"a\":1}".getBytes()));
    assertEquals(2, e.step());
    assertEquals("shift", e.operation());
    assertTrue(e.getMessage().startsWith("transform_failed: step 2 (shift): "), e.getMessage());
    assertEquals(e.getMessage(), e.toString(), "a reason built from the exception reads as its message");
  }

  @Test
  void aChainThatYieldsNothingOrNoObjectFailsTheEventInsteadOfDroppingIt() {
    TransformChain nothing = chain("[{\"operation\":\"shift\",\"spec\":{\"absent\":\"x\"}}]");
    TransformException e = assertThrows(TransformException.class, () -> nothing.transform("{\"a\":1}".getBytes()));
    assertEquals("transform_failed: step 1 (shift): yielded nothing", e.getMessage());

    TransformChain list = chain("[{\"operation\":\"remove\",\"spec\":{}},{\"operation\":\"shift\",\"spec\":{\"a\":\"\"}}]");
    e = assertThrows(TransformException.class, () -> list.transform("{\"a\":[1,2]}".getBytes()));
    assertEquals("transform_failed: step 2 (shift): yielded a list, not a JSON object", e.getMessage());

    e = assertThrows(TransformException.class, () -> list.transform("[1]".getBytes()));
    assertEquals("transform_failed: step 1 (remove): the input is not a JSON object", e.getMessage());
  }

  @Test
  void secretValuesResolvedIntoASpecNeverAppearInItsMessages() {
    TransformChain.Compiled compiled = compile("[{\"operation\":\"shift\",\"spec\":{\"TOKEN-1234[[\":\"x\"}}]");
    assertFalse(compiled.problems().isEmpty());
    String message = compiled.problems().get(0).message();
    assertFalse(message.contains("TOKEN-1234"), message);
    assertTrue(message.contains("******"), message);

    TransformChain chain = chain("[{\"operation\":\"default\",\"spec\":{\"api_key\":\"TOKEN-1234\"}}]");
    assertFalse(chain.toString().contains("TOKEN-1234"), chain.toString());
    assertNotNull(run(chain, "{}").getString("api_key"));
  }

  @Test
  void aChainIsCompiledOnceAndReusedForEveryEvent() {
    TransformChain chain = chain(SEED_CHAIN);
    byte[] first = chain.transform("{\"event\":{\"n\":1},\"timestamp\":1}".getBytes());
    byte[] second = chain.transform("{\"event\":{\"n\":2}}".getBytes());
    assertEquals("{\"events\":[{\"n\":1}],\"api_key\":\"TOKEN-1234\"}", new String(first));
    assertEquals("{\"events\":[{\"n\":2}],\"api_key\":\"TOKEN-1234\"}", new String(second),
        "a default spec's value is copied into each event, not shared and mutated");
  }
}
